package cloud.phonematch.verify.localgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.phonematch.verify.handler.VerificationHandler;
import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.support.Events;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Lambda;
import cloud.phonematch.verify.support.OpenApiContract;
import cloud.phonematch.verify.support.OutputSchema;
import cloud.phonematch.verify.support.SandboxUpstream;
import cloud.phonematch.verify.support.TestPeople;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;

/**
 * The local HTTP API in front of the real handler (the sandbox upstream, as in dev mode), over a real socket: it
 * answers as the handler answers the same request through the mock Lambda event server, plus what API Gateway adds.
 */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
@TestProfile(SandboxUpstream.class)
class LocalGatewayTest {
    @Inject
    Vertx vertx;

    @Inject
    VerificationHandler handler;

    /** Every event the function received through the gateway. */
    private final List<JsonNode> events = new ArrayList<>();
    private RunningGateway gateway;

    /** The real handler, recording the events it is given. */
    private RequestStreamHandler recordingHandler() {
        return (in, out, context) -> {
            byte[] event = in.readAllBytes();
            synchronized (events) {
                events.add(Json.MAPPER.readTree(event));
            }
            handler.handleRequest(new ByteArrayInputStream(event), out, context);
        };
    }

    @BeforeEach
    void start() {
        gateway = RunningGateway.start(vertx, recordingHandler(), RunningGateway.settings(Map.of()));
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    /** One real HTTP exchange with the local API, held to openapi.yaml like every other exchange of the suite. */
    private HttpResponse<byte[]> send(String method, String path, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse<byte[]> response = gateway.send(request);
        ObjectNode proxy = Json.object();
        proxy.put("statusCode", response.statusCode());
        ObjectNode responseHeaders = proxy.putObject("headers");
        // HTTP's own headers (and pseudo-headers such as :status) and the request id API Gateway adds to every answer
        // are not part of the API's description.
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":")
                    && !List.of("content-length", "date", "connection", "apigw-requestid").contains(name.toLowerCase())) {
                responseHeaders.put(name, String.join(",", values));
            }
        });
        proxy.put("body", new String(response.body(), StandardCharsets.UTF_8));
        proxy.put("isBase64Encoded", false);
        String event = Events.httpV2(method, path, body == null ? null : new String(body, StandardCharsets.UTF_8),
                headers);
        try {
            OpenApiContract.requireValid(Json.MAPPER.readTree(event), proxy);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return response;
    }

    private static JsonNode json(HttpResponse<byte[]> response) {
        try {
            return OutputSchema.requireValid(Json.MAPPER.readTree(response.body()));
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + new String(response.body(), StandardCharsets.UTF_8), e);
        }
    }

    /** The body without the two fields that differ on every invocation. */
    private static JsonNode comparable(JsonNode body) {
        ObjectNode copy = body.deepCopy();
        copy.remove(List.of("request_id", "duration_ms"));
        return copy;
    }

    private static String body(String kind) {
        return switch (kind) {
            case "consistent" -> Events.body(TestPeople.NAME, TestPeople.MOBILE);
            case "invalid-mobile" -> Events.body(TestPeople.NAME, "1391234567");
            case "bad-json" -> "{\"name\":";
            case "too-large" -> "a".repeat(20_000);
            case "none" -> null;
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource({ "POST, /verifications, consistent, 200", "POST, /verifications, invalid-mobile, 200",
            "POST, /verifications, bad-json, 400", "POST, /verifications, too-large, 413",
            "GET, /elsewhere, none, 404", "GET, /verifications, none, 405", "DELETE, /verifications, none, 405" })
    void answersAsTheHandlerAnswersTheSameEvent(String method, String path, String kind, int status) {
        String body = body(kind);
        Map<String, String> headers = Map.of("content-type", "application/json", "x-request-id", "case-" + kind);

        HttpResponse<byte[]> local = send(method, path, headers,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        Lambda.HttpReply direct = Lambda.http(Events.httpV2(method, path, body, headers));

        assertEquals(status, direct.statusCode());
        assertEquals(direct.statusCode(), local.statusCode());
        direct.headers().fields().forEachRemaining(h -> assertEquals(h.getValue().asText(),
                local.headers().firstValue(h.getKey()).orElse(null), h.getKey()));
        assertEquals(comparable(direct.body()), comparable(json(local)));
        assertTrue(local.headers().firstValue("apigw-requestid").isPresent(), "API Gateway's own header");
    }

    @Test
    void aVerificationEchoesTheRequestIdAndCarriesApiGatewaysHeaders() {
        HttpResponse<byte[]> response = send("POST", "/verifications",
                Map.of("content-type", "application/json", "X-Request-Id", "order-7781"),
                Events.body(TestPeople.NAME, TestPeople.MOBILE).getBytes(StandardCharsets.UTF_8));

        assertEquals(200, response.statusCode());
        assertEquals("application/json; charset=utf-8", response.headers().firstValue("content-type").orElse(null));
        assertEquals("order-7781", response.headers().firstValue("x-request-id").orElse(null));
        JsonNode body = json(response);
        assertEquals("CONSISTENT", body.path("status").asText());
        assertEquals("order-7781", body.path("correlation_id").asText());
        String apigwRequestId = response.headers().firstValue("apigw-requestid").orElseThrow();
        assertTrue(apigwRequestId.matches("[A-Za-z0-9+/]{15}="), apigwRequestId);
        JsonNode event = events.get(0);
        assertEquals(apigwRequestId, event.path("requestContext").path("requestId").asText());
        assertEquals("ANY /verifications", event.path("routeKey").asText());
        assertEquals(36, body.path("request_id").asText().length(), "the Lambda request id, a UUID");
    }

    @Test
    void aBodyThatIsNotJsonOrTextArrivesBase64EncodedAndIsStillRead() {
        String body = Events.body(TestPeople.NAME, TestPeople.MOBILE);

        HttpResponse<byte[]> response = send("POST", "/verifications",
                Map.of("content-type", "application/octet-stream"), body.getBytes(StandardCharsets.UTF_8));

        assertEquals(200, response.statusCode());
        assertEquals("CONSISTENT", json(response).path("status").asText());
        JsonNode event = events.get(0);
        assertTrue(event.path("isBase64Encoded").asBoolean());
        assertEquals(body, new String(Base64.getDecoder().decode(event.path("body").asText()), StandardCharsets.UTF_8));
    }

    /**
     * A GBK-encoded body: as JSON, the gateway decodes it as UTF-8 with U+FFFD where it cannot; as another type, it
     * passes the bytes base64-encoded. Either way the function refuses it as not UTF-8, not as an invalid name.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({ "application/json, false, holds U+FFFD", "application/octet-stream, true, has bytes" })
    void aBodyInAnotherEncodingIsRefusedAsInvalidEncoding(String contentType, boolean base64, String why) {
        byte[] gbk = Events.body(TestPeople.NAME, TestPeople.MOBILE).getBytes(java.nio.charset.Charset.forName("GBK"));

        HttpResponse<byte[]> response = send("POST", "/verifications", Map.of("content-type", contentType), gbk);

        assertEquals(400, response.statusCode());
        JsonNode error = json(response).path("error");
        assertEquals("INVALID_ENCODING", error.path("type").asText());
        assertTrue(error.path("message").asText().startsWith("the request body must be UTF-8 JSON; it " + why),
                error.path("message").asText());
        assertFalse(error.path("retryable").asBoolean(true));
        assertEquals(base64, events.get(0).path("isBase64Encoded").asBoolean());
    }

    @Test
    void aBurstOverTheThrottleIsAnswered429ByTheGatewayNotTheFunction() {
        gateway.close();
        gateway = RunningGateway.start(vertx, recordingHandler(), RunningGateway.settings(Map.of(
                "local-gateway.throttle-rate-limit", "0", "local-gateway.throttle-burst-limit", "3")));
        Map<Integer, Integer> statuses = new HashMap<>();
        HttpResponse<byte[]> throttled = null;

        for (int i = 0; i < 5; i++) {
            HttpResponse<byte[]> response = send("POST", "/verifications", Map.of("content-type", "application/json"),
                    Events.body(TestPeople.NAME, TestPeople.MOBILE).getBytes(StandardCharsets.UTF_8));
            statuses.merge(response.statusCode(), 1, Integer::sum);
            if (response.statusCode() == 429) {
                throttled = response;
            }
        }

        assertEquals(Map.of(200, 3, 429, 2), statuses);
        assertEquals(3, events.size(), "throttled requests never reach the function");
        assertEquals("{\"message\":\"Too Many Requests\"}", new String(throttled.body(), StandardCharsets.UTF_8));
        assertEquals("application/json", throttled.headers().firstValue("content-type").orElse(null));
        assertFalse(throttled.headers().firstValue("retry-after").isPresent(), "API Gateway sends none");
        assertFalse(throttled.headers().firstValue("x-request-id").isPresent(), "the function never saw it");
        assertTrue(throttled.headers().firstValue("apigw-requestid").isPresent());
    }
}
