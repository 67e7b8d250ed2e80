package cloud.phonematch.verify.handler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.phonematch.verify.output.Json;

/**
 * The Lambda entry point for every caller. A stream handler, so that this function — not the runtime's
 * mapper — decides what an unreadable or unknown event means ({@code INVALID_REQUEST}), and serializes the
 * one output shape itself.
 */
@Named("verification")
public class VerificationHandler implements RequestStreamHandler {

    @Inject
    HttpAdapter http;

    @Inject
    DirectAdapter direct;

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        long start = System.nanoTime();
        String requestId = context.getAwsRequestId();
        JsonNode event = parse(input.readAllBytes());
        EventSource source = EventSource.of(event);
        ObjectNode answer = switch (source) {
            case HTTP_V2 -> http.handle(source, HttpRequestView.fromV2(event), requestId, start);
            case HTTP_V1 -> http.handle(source, HttpRequestView.fromV1(event), requestId, start);
            case DIRECT, UNKNOWN -> direct.handle(source, event, requestId, start);
        };
        Json.MAPPER.writeValue(output, answer);
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            return bytes.length == 0 ? null : Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }
}
