package cloud.phonematch.verify.handler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.verification.AttemptSettings;
import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.Invocation;
import cloud.phonematch.verify.verification.TimeSource;

/**
 * The Lambda entry point for every caller. A stream handler, so that this function — not the runtime's
 * mapper — decides what an unreadable or unknown event means ({@code INVALID_REQUEST}), and serializes the
 * one output shape itself.
 * <p>
 * A singleton: Quarkus looks the handler bean up for every invocation, and a bean without a scope would be
 * built anew each time.
 */
@Named("verification")
@Singleton
public class VerificationHandler implements RequestStreamHandler {

    @Inject
    HttpAdapter http;

    @Inject
    DirectAdapter direct;

    @Inject
    AttemptSettings config;

    @Inject
    TimeSource time;

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        long start = time.nanoTime();
        // Read first thing: everything after this is measured against Lambda's deadline.
        Deadline deadline = Deadline.of(time, start, context.getRemainingTimeInMillis(), config.deadlineMargin(),
                config.shortestAttempt());
        String requestId = context.getAwsRequestId();
        Invocation invocation = new Invocation(requestId, requestId, start, deadline);
        Event event = parse(input.readAllBytes());
        EventSource source = EventSource.of(event.tree());
        ObjectNode answer;
        if (!event.utf8()) {
            // API Gateway and Lambda send their events as UTF-8 JSON: other bytes were sent directly.
            answer = direct.refuse(source, invocation,
                    RequestFields.notUtf8("the event must be UTF-8 JSON; it has bytes that are not UTF-8"));
        } else if (event.duplicateKey()) {
            // API Gateway writes its events itself, so an event that repeats a key was sent directly: refused the
            // direct way, whatever its shape.
            answer = direct.refuse(source, invocation, RequestFields.duplicateKey());
        } else {
            answer = switch (source) {
                case HTTP_V2 -> http.handle(source, HttpRequestView.fromV2(event.tree()), invocation);
                case HTTP_V1 -> http.handle(source, HttpRequestView.fromV1(event.tree()), invocation);
                case DIRECT, UNKNOWN -> direct.handle(source, event.tree(), invocation);
            };
        }
        Json.MAPPER.writeValue(output, answer);
    }

    /**
     * The event as read.
     *
     * @param tree the JSON, or null when the event is empty, not UTF-8 or not JSON
     * @param duplicateKey whether the JSON gives some key twice (then {@code tree} is read with duplicates
     *     allowed, only to tell what kind of event it is)
     * @param utf8 whether the event's bytes are UTF-8
     */
    private record Event(JsonNode tree, boolean duplicateKey, boolean utf8) {
    }

    private static Event parse(byte[] bytes) {
        if (bytes.length == 0) {
            return new Event(null, false, true);
        }
        Optional<String> text = Json.utf8(bytes);
        if (text.isEmpty()) {
            return new Event(null, false, false);
        }
        try {
            return new Event(Json.STRICT_READER.readTree(text.get()), false, true);
        } catch (IOException e) {
            return Json.readAllowingDuplicateKeys(text.get()).map(tree -> new Event(tree, true, true))
                    .orElse(new Event(null, false, true));
        }
    }
}
