package cloud.phonematch.verify.handler;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.output.FailureJson;
import cloud.phonematch.verify.output.Language;
import cloud.phonematch.verify.verification.FailureException;
import cloud.phonematch.verify.verification.Invocation;
import cloud.phonematch.verify.verification.VerificationResult;

/**
 * API Gateway (HTTP API 2.0 and REST API 1.0 proxy): {@code POST /verifications} in, a proxy response out.
 * Only translates; the rules live in the flow.
 */
@ApplicationScoped
class HttpAdapter {
    static final String ROUTE = "/verifications";
    /** Bodies above this are refused with 413 before parsing: a name and a number need a few hundred bytes. */
    static final int MAX_BODY_BYTES = 16 * 1024;

    private final InvocationRunner runner;

    HttpAdapter(InvocationRunner runner) {
        this.runner = runner;
    }

    ObjectNode handle(EventSource source, HttpRequestView request, Invocation base) {
        Invocation invocation = base.withCorrelationId(CorrelationIds.fromHeaders(request.header("x-request-id"),
                request.header("traceparent"), base.requestId()));

        if (!isVerificationsPath(request.path())) {
            return respond(runner.refuse(source, request.caller(), invocation, new FailureException(
                    Failure.of(ErrorType.NOT_FOUND, "no such route; POST " + ROUTE))).result(), invocation);
        }
        if (!"POST".equalsIgnoreCase(request.method())) {
            ObjectNode response = respond(runner.refuse(source, request.caller(), invocation, new FailureException(
                    Failure.of(ErrorType.METHOD_NOT_ALLOWED, "use POST " + ROUTE))).result(), invocation);
            ((ObjectNode) response.get("headers")).put("Allow", "POST");
            return response;
        }
        Language headerLanguage = Language.fromAcceptLanguage(request.header("accept-language"));
        InvocationRunner.Ran ran = runner.run(source, request.caller(), invocation, request, r -> {
            // The headers first: one given twice, or an X-Request-Id outside its rules, is refused whatever the body.
            RequestFields.checkRequestIdHeader(r.headerValues("x-request-id"));
            String idempotencyKey = RequestFields.singleHeader(r.headerValues("idempotency-key"), "Idempotency-Key");
            return RequestFields.read(parseBody(r), headerLanguage, invocation.correlationId(), idempotencyKey,
                    r.caller());
        });
        return respond(ran.result(), ran.invocation());
    }

    private static boolean isVerificationsPath(String path) {
        return ROUTE.equals(path) || (ROUTE + "/").equals(path);
    }

    private static JsonNode parseBody(HttpRequestView request) {
        if (request.body() == null || request.body().isEmpty()) {
            throw RequestFields.invalid("the request body is empty; send a JSON object with 'name' and 'mobile'");
        }
        String text;
        if (request.base64()) {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(request.body());
            } catch (IllegalArgumentException e) {
                throw RequestFields.invalid("the request body is marked base64 but is not valid base64");
            }
            requireWithinLimit(bytes.length);
            text = Json.utf8(bytes).orElseThrow(() -> RequestFields.notUtf8(
                    "the request body must be UTF-8 JSON; it has bytes that are not UTF-8"));
        } else {
            // API Gateway decoded a JSON or text body as UTF-8 already, and put U+FFFD where it could not.
            text = request.body();
            requireWithinLimit(text.getBytes(StandardCharsets.UTF_8).length);
        }
        if (text.indexOf(Json.REPLACEMENT_CHARACTER) >= 0) {
            throw RequestFields.notUtf8(
                    "the request body must be UTF-8 JSON; it holds U+FFFD, which stands for bytes that were not UTF-8");
        }
        try {
            return Json.STRICT_READER.readTree(text);
        } catch (Exception e) {
            // The parser's message quotes the body: never passed on.
            throw switch (Json.whyRefused(text)) {
                case DUPLICATE_KEY -> RequestFields.duplicateKey();
                case TRAILING_DATA -> RequestFields.invalid(
                        "the request body has data after its JSON object; send exactly one JSON object");
                case NOT_JSON -> RequestFields.invalid("the request body is not valid JSON");
            };
        }
    }

    private static void requireWithinLimit(int bytes) {
        if (bytes > MAX_BODY_BYTES) {
            throw new FailureException(Failure.of(ErrorType.INVALID_REQUEST,
                    "the request body is larger than " + MAX_BODY_BYTES + " bytes").withHttpStatus(413));
        }
    }

    private static ObjectNode respond(VerificationResult result, Invocation invocation) {
        ObjectNode response = Json.object();
        ObjectNode headers = Json.object();
        headers.put("Content-Type", "application/json; charset=utf-8");
        headers.put("X-Request-Id", invocation.correlationId());
        ObjectNode body;
        int status;
        switch (result) {
            case VerificationResult.Answered answered -> {
                status = 200;
                body = answered.outcome().toJson();
            }
            case VerificationResult.Failed failed -> {
                status = failed.failure().httpStatus();
                body = FailureJson.toJson(failed.failure(), invocation.requestId());
                failed.failure().retryAfterSeconds().ifPresent(s -> headers.put("Retry-After", Long.toString(s)));
            }
        }
        response.put("statusCode", status);
        response.set("headers", headers);
        response.put("body", Json.write(body));
        response.put("isBase64Encoded", false);
        return response;
    }
}
