package cloud.phonematch.verify.localgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.json.Json;

/** The stage without sockets: throttle, payload quota, the event the function gets, and what its answer becomes. */
class HttpApiStageTest {
    private static final Instant NOW = Instant.parse("2026-03-10T08:30:00Z");
    private static final String ANSWER = "{\"statusCode\":200,\"headers\":{\"Content-Type\":\"application/json\","
            + "\"X-Request-Id\":\"order-7781\"},\"body\":\"{}\",\"isBase64Encoded\":false}";

    private final AtomicLong nanos = new AtomicLong();
    private final List<JsonNode> events = new ArrayList<>();
    private final List<String> lambdaRequestIds = new ArrayList<>();
    private final List<Integer> remainingMillis = new ArrayList<>();

    /** A function that records what it was given and answers {@code output}. */
    private RequestStreamHandler function(String output) {
        return (in, out, context) -> {
            events.add(Json.MAPPER.readTree(in));
            record(context);
            out.write(output.getBytes(StandardCharsets.UTF_8));
        };
    }

    private void record(Context context) {
        lambdaRequestIds.add(context.getAwsRequestId());
        remainingMillis.add(context.getRemainingTimeInMillis());
    }

    private HttpApiStage stage(RequestStreamHandler function, int burst) {
        return new HttpApiStage(new TokenBucket(0, burst, nanos::get),
                new LocalFunction(function, Duration.ofSeconds(10), nanos::get), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static GatewayRequest post() {
        return new GatewayRequest("POST", "/verifications", "", "HTTP/1.1", "127.0.0.1", 3000,
                List.of(Map.entry("content-type", "application/json")), "{}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anAdmittedRequestGoesToTheFunctionAsAPayload2EventAndItsAnswerComesBack() {
        HttpApiStage stage = stage(function(ANSWER), 5);

        HttpApiStage.Arrival arrival = stage.arrive();
        assertEquals(Optional.empty(), stage.refusal(arrival, false));
        GatewayResponse response = stage.invoke(arrival, post());

        assertEquals(200, response.status());
        assertEquals(Optional.of("order-7781"), response.header("X-Request-Id"));
        assertEquals("{}", response.bodyText());
        assertEquals(1, events.size());
        JsonNode event = events.get(0);
        assertEquals("2.0", event.path("version").asText());
        assertEquals("ANY /verifications", event.path("routeKey").asText());
        assertEquals("{}", event.path("body").asText());
        assertEquals(response.header("apigw-requestid").orElseThrow(), event.path("requestContext").path("requestId").asText(),
                "the event and the response name the same API Gateway request");
        assertEquals(Optional.of("Tue, 10 Mar 2026 08:30:00 GMT"), response.header("date"));
    }

    @Test
    void eachInvocationHasItsOwnLambdaRequestIdAndTheFunctionsTimeoutToRunDown() {
        HttpApiStage stage = stage(function(ANSWER), 5);

        stage.invoke(stage.arrive(), post());
        stage.invoke(stage.arrive(), post());

        assertEquals(2, lambdaRequestIds.size());
        assertNotEquals(lambdaRequestIds.get(0), lambdaRequestIds.get(1));
        assertTrue(lambdaRequestIds.get(0).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"),
                lambdaRequestIds.get(0));
        assertEquals(List.of(10_000, 10_000), remainingMillis, "the template's Timeout, on a clock that stood still");
    }

    @Test
    void theContextsRemainingTimeRunsDown() {
        RequestStreamHandler slow = (in, out, context) -> {
            nanos.addAndGet(Duration.ofMillis(2_500).toNanos());
            record(context);
            out.write(ANSWER.getBytes(StandardCharsets.UTF_8));
        };

        HttpApiStage stage = stage(slow, 5);
        stage.invoke(stage.arrive(), post());

        assertEquals(List.of(7_500), remainingMillis);
    }

    @Test
    void overTheThrottleTheStageAnswers429WithoutTheFunction() {
        HttpApiStage stage = stage(function(ANSWER), 1);
        stage.arrive();

        HttpApiStage.Arrival throttled = stage.arrive();
        GatewayResponse response = stage.refusal(throttled, true).orElseThrow();

        assertEquals(429, response.status(), "throttling comes before the payload quota");
        assertEquals("{\"message\":\"Too Many Requests\"}", response.bodyText());
        assertEquals(Optional.of("application/json"), response.header("content-type"));
        assertEquals(Optional.empty(), response.header("Retry-After"), "API Gateway sends none");
        assertEquals(Optional.of(throttled.requestId()), response.header("apigw-requestid"));
        assertTrue(events.isEmpty());
    }

    @Test
    void overThePayloadQuotaTheStageAnswers413WithoutTheFunction() {
        HttpApiStage stage = stage(function(ANSWER), 1);

        GatewayResponse response = stage.refusal(stage.arrive(), true).orElseThrow();

        assertEquals(413, response.status());
        assertEquals("{\"message\":\"Request Entity Too Large\"}", response.bodyText());
        assertTrue(response.header("apigw-requestid").isPresent());
        assertTrue(events.isEmpty());
    }

    @Test
    void aFunctionThatThrowsIsApiGateways500() {
        RequestStreamHandler failing = (in, out, context) -> {
            throw new IOException("the function broke");
        };
        HttpApiStage stage = stage(failing, 1);

        GatewayResponse response = stage.invoke(stage.arrive(), post());

        assertEquals(500, response.status());
        assertEquals("{\"message\":\"Internal Server Error\"}", response.bodyText());
        assertEquals(Optional.of("application/json"), response.header("content-type"));
        assertTrue(response.header("apigw-requestid").isPresent());
    }
}
