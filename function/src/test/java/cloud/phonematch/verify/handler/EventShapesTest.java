package cloud.phonematch.verify.handler;

import static cloud.phonematch.verify.support.TestPeople.MOBILE;
import static cloud.phonematch.verify.support.TestPeople.NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.support.ApiStubs;
import cloud.phonematch.verify.support.Events;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Fakes;
import cloud.phonematch.verify.support.Lambda;
import cloud.phonematch.verify.support.SecretsManagerStubs;
import cloud.phonematch.verify.support.TestPeople;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** One handler, three kinds of caller: API Gateway 2.0 and 1.0 proxy events, direct calls, and the rest. */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
class EventShapesTest {
    private static final Map<String, String> JSON = Map.of("content-type", "application/json");

    @BeforeEach
    void reset() {
        Fakes.reset();
        ApiStubs.answer(ApiStubs.result("0"));
    }

    @Test
    void httpApiV2() {
        Lambda.HttpReply reply = Lambda.http(Events.httpV2("POST", "/verifications", Events.body(NAME, MOBILE), JSON));

        assertEquals(200, reply.statusCode());
        assertEquals("application/json; charset=utf-8", reply.header("Content-Type"));
        assertNotNull(reply.header("X-Request-Id"));
        assertFalse(reply.base64());
        assertEquals("CONSISTENT", reply.body().path("status").asText());
        assertEquals(reply.header("X-Request-Id"), reply.body().path("correlation_id").asText());
    }

    @Test
    void restApiV1WithStagePrefixAndMixedCaseHeaders() {
        Lambda.HttpReply reply = Lambda.http(Events.httpV1("POST", "/verifications", Events.body(NAME, MOBILE),
                Map.of("Content-Type", "application/json", "X-REQUEST-ID", "corr-v1-42", "Accept-Language",
                        "zh-CN,zh;q=0.9,en;q=0.8")));

        assertEquals(200, reply.statusCode());
        assertEquals("corr-v1-42", reply.header("X-Request-Id"));
        assertEquals("corr-v1-42", reply.body().path("correlation_id").asText());
        assertEquals("验证结果一致", reply.body().path("description").asText());
    }

    @Test
    void traceparentBecomesTheCorrelationIdAndIsSentUpstream() {
        Lambda.HttpReply reply = Lambda.http(Events.httpV2("POST", "/verifications", Events.body(NAME, MOBILE),
                Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")));

        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", reply.header("X-Request-Id"));
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", reply.body().path("correlation_id").asText());
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", ApiStubs.calls().get(0).getHeader("x-request-id"));
    }

    @Test
    void bodyCorrelationIdWinsOverTheHeader() {
        Lambda.HttpReply reply = Lambda.http(Events.httpV2("POST", "/verifications",
                "{\"name\":\"" + NAME + "\",\"mobile\":\"" + MOBILE + "\",\"correlation_id\":\"order-9\"}",
                Map.of("x-request-id", "from-header")));

        assertEquals("order-9", reply.header("X-Request-Id"));
        assertEquals("order-9", reply.body().path("correlation_id").asText());
        assertEquals("order-9", ApiStubs.calls().get(0).getHeader("x-request-id"));
    }

    @Test
    void base64Body() {
        Lambda.HttpReply reply = Lambda.http(
                Events.httpV2("POST", "/verifications", Events.body(NAME, MOBILE), JSON, true));

        assertEquals(200, reply.statusCode());
        assertEquals("CONSISTENT", reply.body().path("status").asText());
        assertEquals(1, ApiStubs.calls().size());
    }

    @Test
    void bodyLanguageWinsOverAcceptLanguage() {
        Lambda.HttpReply reply = Lambda.http(Events.httpV2("POST", "/verifications",
                "{\"name\":\"" + NAME + "\",\"mobile\":\"" + MOBILE + "\",\"language\":\"en\"}",
                Map.of("accept-language", "zh")));

        assertEquals("Verification result is consistent", reply.body().path("description").asText());
    }

    @Test
    void direct() {
        JsonNode out = Lambda.direct(Events.direct(NAME, MOBILE));

        assertEquals("CONSISTENT", out.path("status").asText());
        assertTrue(out.path("request_id").asText().startsWith("req-"));
        assertEquals(out.path("request_id").asText(), out.path("correlation_id").asText());
    }

    @Test
    void directWithExtraFieldsAndCorrelationId() {
        JsonNode out = Lambda.direct("{\"name\":\"" + NAME + "\",\"mobile\":\"" + MOBILE
                + "\",\"correlation_id\":\"order-7781\",\"customerTier\":\"gold\",\"nested\":{\"a\":[1,2]}}");

        assertEquals("CONSISTENT", out.path("status").asText());
        assertEquals("order-7781", out.path("correlation_id").asText());
    }

    @Test
    void unknownRouteIs404() {
        Lambda.HttpReply reply = Lambda.http(Events.httpV2("POST", "/other", Events.body(NAME, MOBILE), JSON));

        assertEquals(404, reply.statusCode());
        assertEquals("NOT_FOUND", reply.body().path("error").path("type").asText());
        assertFalse(reply.body().path("error").path("retryable").asBoolean());
        assertEquals(0, ApiStubs.calls().size());
    }

    @Test
    void otherMethodIs405() {
        Lambda.HttpReply reply = Lambda.http(Events.httpV1("GET", "/verifications", null, JSON));

        assertEquals(405, reply.statusCode());
        assertEquals("METHOD_NOT_ALLOWED", reply.body().path("error").path("type").asText());
        assertEquals("POST", reply.header("Allow"));
    }

    @Test
    void oversizedBodyIs413() {
        String big = "{\"name\":\"" + NAME + "\",\"mobile\":\"" + MOBILE + "\",\"pad\":\"" + "x".repeat(17_000) + "\"}";

        Lambda.HttpReply reply = Lambda.http(Events.httpV2("POST", "/verifications", big, JSON));

        assertEquals(413, reply.statusCode());
        assertEquals("INVALID_REQUEST", reply.body().path("error").path("type").asText());
        assertEquals(0, ApiStubs.calls().size());
    }

    @ParameterizedTest
    @ValueSource(strings = { "not json", "[1,2]", "{\"name\":\"" + NAME + "\"}", "{\"name\":1,\"mobile\":\"" + MOBILE
            + "\"}", "{\"name\":\"" + NAME + "\",\"mobile\":13912345670}", "{\"name\":\"" + NAME + "\",\"mobile\":\""
                    + MOBILE + "\",\"language\":\"fr\"}", "" })
    void badBodiesAre400AndChangeNothing(String body) {
        Lambda.HttpReply reply = Lambda.http(Events.httpV2("POST", "/verifications", body, JSON));

        assertEquals(400, reply.statusCode());
        assertEquals("INVALID_REQUEST", reply.body().path("error").path("type").asText());
        String message = reply.body().path("error").path("message").asText();
        assertFalse(message.contains(NAME) || message.contains(MOBILE), "no input echoed in the message");
        assertEquals(0, ApiStubs.calls().size());
        assertEquals(0, SecretsManagerStubs.calls());
    }

    /**
     * One JSON object and nothing after it: a second object or any other text after the first is refused, not
     * verified as the first object with the rest dropped.
     */
    @ParameterizedTest
    @ValueSource(strings = { "{\"name\":\"%1$s\",\"mobile\":\"%2$s\"}{\"name\":\"%1$s\",\"mobile\":\"%2$s\"}",
            "{\"name\":\"%1$s\",\"mobile\":\"%2$s\"} xyz", "{\"name\":\"%1$s\",\"mobile\":\"%2$s\"}]",
            "{\"name\":\"%1$s\",\"mobile\":\"%2$s\"},1" })
    void dataAfterTheJsonObjectIs400AndNothingIsSent(String template) {
        Lambda.HttpReply reply = Lambda.http(Events.httpV2("POST", "/verifications", template.formatted(NAME, MOBILE),
                JSON));

        assertEquals(400, reply.statusCode());
        assertEquals("INVALID_REQUEST", reply.body().path("error").path("type").asText());
        assertEquals("the request body has data after its JSON object; send exactly one JSON object",
                reply.body().path("error").path("message").asText());
        assertEquals(0, ApiStubs.calls().size());
        assertEquals(0, SecretsManagerStubs.calls());
    }

    @Test
    void whitespaceAfterTheJsonObjectIsFine() {
        ApiStubs.answer(ApiStubs.result("0"));

        Lambda.HttpReply reply = Lambda.http(Events.httpV2("POST", "/verifications",
                Events.body(NAME, MOBILE) + " \n\t ", JSON));

        assertEquals(200, reply.statusCode());
        assertEquals(1, ApiStubs.calls().size());
    }

    @Test
    void invalidBase64Is400() {
        String event = Events.httpV2("POST", "/verifications", "%%%not-base64%%%", JSON).replace(
                "\"isBase64Encoded\":false", "\"isBase64Encoded\":true");

        assertEquals(400, Lambda.http(event).statusCode());
    }

    /**
     * A Step Functions state passes its whole input through, so a request may carry fields that other AWS events
     * use as markers; with a top-level name and number it is a request like any other.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "\"source\":\"aws.something\"",
            "\"Records\":[{\"eventSource\":\"aws:sqs\",\"body\":\"{}\"}]",
            "\"requestContext\":{\"requestId\":\"r-1\",\"stage\":\"prod\"}",
            "\"detail-type\":\"Order Placed\"",
            "\"routeKey\":\"POST /verifications\"" })
    void directEventWithAnUnrelatedAwsLookingFieldIsVerified(String extra) {
        JsonNode out = Lambda.direct("{\"name\":\"" + NAME + "\",\"mobile\":\"" + MOBILE + "\"," + extra + "}");

        assertEquals("CONSISTENT", out.path("status").asText());
        assertTrue(out.path("checked_upstream").asBoolean());
        assertEquals(1, ApiStubs.calls().size(), "exactly one API call");
    }

    @ParameterizedTest
    @ValueSource(strings = { "[]", "\"hello\"", "42", "{\"Records\":[{\"eventSource\":\"aws:sqs\"}]}",
            "{\"source\":\"aws.events\",\"detail-type\":\"Scheduled Event\"}" })
    void unknownEventsAreInvalidRequest(String event) {
        Lambda.FunctionError failure = Lambda.directFailure(event);

        assertEquals("cloud.phonematch.verify.output.InvalidRequestException", failure.errorType());
        assertEquals("INVALID_REQUEST", failure.error().path("type").asText());
        assertEquals(0, ApiStubs.calls().size());
    }

    /** The message for a duplicate key: it names neither the key nor a value. */
    private static final String DUPLICATE = "the request has a duplicate field; send each field once";

    /**
     * A JSON object with a key twice is ambiguous (most parsers keep the last value): refused before any paid
     * call, wherever the duplicate is, rather than guessing which number the caller meant.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"name\":\"" + NAME + "\",\"mobile\":\"" + MOBILE + "\",\"mobile\":\"" + TestPeople.MOBILE_2 + "\"}",
            "{\"name\":\"" + TestPeople.OTHER_NAME + "\",\"mobile\":\"" + MOBILE + "\",\"name\":\"" + NAME + "\"}",
            "{\"name\":\"" + NAME + "\",\"mobile\":\"" + MOBILE + "\",\"language\":\"en\",\"language\":\"zh\"}",
            "{\"name\":\"" + NAME + "\",\"mobile\":\"" + MOBILE + "\",\"order\":{\"id\":1,\"id\":2}}" })
    void directEventWithADuplicateKeyIsRefused(String event) {
        Lambda.FunctionError failure = Lambda.directFailure(event);

        assertEquals("cloud.phonematch.verify.output.InvalidRequestException", failure.errorType());
        assertEquals("INVALID_REQUEST", failure.error().path("type").asText());
        assertFalse(failure.error().path("retryable").asBoolean());
        assertEquals(DUPLICATE, failure.error().path("message").asText());
        assertEquals(0, ApiStubs.calls().size());
        assertEquals(0, SecretsManagerStubs.calls());
    }

    @ParameterizedTest
    @ValueSource(strings = { "v2", "v2-base64", "v1" })
    void apiGatewayBodyWithADuplicateKeyIs400(String shape) {
        String body = "{\"name\":\"" + NAME + "\",\"mobile\":\"" + MOBILE + "\",\"mobile\":\"" + TestPeople.MOBILE_2
                + "\"}";
        String event = switch (shape) {
            case "v2" -> Events.httpV2("POST", "/verifications", body, JSON);
            case "v2-base64" -> Events.httpV2("POST", "/verifications", body, JSON, true);
            default -> Events.httpV1("POST", "/verifications", body, JSON);
        };

        Lambda.HttpReply reply = Lambda.http(event);

        assertEquals(400, reply.statusCode());
        assertEquals("INVALID_REQUEST", reply.body().path("error").path("type").asText());
        assertEquals(DUPLICATE, reply.body().path("error").path("message").asText());
        assertEquals(0, ApiStubs.calls().size());
        assertEquals(0, SecretsManagerStubs.calls());
    }

    /** Broken JSON that happens to repeat a key before it breaks is still reported as broken JSON. */
    @Test
    void invalidJsonWithARepeatedKeyIsNotReportedAsADuplicate() {
        String broken = "{\"name\":\"" + NAME + "\",\"name\":\"" + NAME + "\",\"mobile\":";

        Lambda.HttpReply reply = Lambda.http(Events.httpV2("POST", "/verifications", broken, JSON));
        Lambda.FunctionError failure = Lambda.directFailure(broken);

        assertEquals(400, reply.statusCode());
        assertEquals("the request body is not valid JSON", reply.body().path("error").path("message").asText());
        assertEquals("unsupported event: send {\"name\", \"mobile\"} directly or through API Gateway",
                failure.error().path("message").asText());
        assertEquals(0, ApiStubs.calls().size());
    }

    @Test
    void directMissingFieldIsInvalidRequest() {
        Lambda.FunctionError failure = Lambda.directFailure("{\"mobile\":\"" + MOBILE + "\"}");

        assertEquals("cloud.phonematch.verify.output.InvalidRequestException", failure.errorType());
        assertEquals("field 'name' is required", failure.error().path("message").asText());
    }
}
