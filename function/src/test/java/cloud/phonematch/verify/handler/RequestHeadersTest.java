package cloud.phonematch.verify.handler;

import static cloud.phonematch.verify.support.TestPeople.MOBILE;
import static cloud.phonematch.verify.support.TestPeople.NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import cloud.phonematch.verify.support.ApiStubs;
import cloud.phonematch.verify.support.Events;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Fakes;
import cloud.phonematch.verify.support.Lambda;
import cloud.phonematch.verify.support.SecretsManagerStubs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The two request headers that stand for a body field ({@code Idempotency-Key} for {@code idempotency_key},
 * {@code X-Request-Id} for {@code correlation_id}) are held to that field's rules and given once: a value outside
 * them, or two values, is refused with a message naming the header, before anything is sent.
 */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
class RequestHeadersTest {
    private static final Map<String, String> JSON = Map.of("content-type", "application/json");
    private static final String TWICE = "has more than one value; exactly one is allowed";
    private static final String REQUEST_ID_RULE = "header 'X-Request-Id' must be 1-128 characters of letters, digits"
            + " and ._:/=+-";

    @BeforeEach
    void reset() {
        Fakes.reset();
        ApiStubs.answer(ApiStubs.result("0"));
    }

    private static String post(String shape, Map<String, String> headers) {
        return shape.equals("v2") ? Events.httpV2("POST", "/verifications", Events.body(NAME, MOBILE), headers)
                : Events.httpV1("POST", "/verifications", Events.body(NAME, MOBILE), headers);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "v2", "v1" })
    void anIdempotencyKeyGivenTwiceIsRefusedNamingTheHeader(String shape) {
        for (List<String> keys : List.of(List.of("order-1", "order-2"), List.of("order-1", "order-1"))) {
            Lambda.HttpReply reply = Lambda.http(Events.withRepeatedHeader(post(shape, JSON), "Idempotency-Key", keys));

            assertRefused(reply, "header 'Idempotency-Key' " + TWICE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "v2", "v1" })
    void anXRequestIdGivenTwiceIsRefusedNamingTheHeader(String shape) {
        Lambda.HttpReply reply = Lambda.http(Events.withRepeatedHeader(post(shape, JSON), "X-Request-Id",
                List.of("order-1", "order-2")));

        assertRefused(reply, "header 'X-Request-Id' " + TWICE);
    }

    /** The rules of the body's correlation_id, and its message with the header's name. */
    @ParameterizedTest
    @ValueSource(strings = { "has space", "", "semi;colon", "ünïcode", "x129" })
    void anXRequestIdOutsideTheCorrelationIdRulesIsRefused(String value) {
        String id = value.equals("x129") ? "x".repeat(129) : value;

        Lambda.HttpReply reply = Lambda.http(post("v2", Map.of("x-request-id", id)));

        assertRefused(reply, REQUEST_ID_RULE);
        // Not echoed: the refusal carries the Lambda request id instead.
        assertEquals(reply.body().path("request_id").asText(), reply.header("X-Request-Id"));
    }

    @Test
    void aBadXRequestIdIsRefusedEvenWhenTheBodyGivesACorrelationId() {
        String body = "{\"name\":\"" + NAME + "\",\"mobile\":\"" + MOBILE + "\",\"correlation_id\":\"order-9\"}";

        Lambda.HttpReply reply = Lambda.http(Events.httpV2("POST", "/verifications", body,
                Map.of("x-request-id", "has space", "traceparent",
                        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")));

        assertRefused(reply, REQUEST_ID_RULE);
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", reply.header("X-Request-Id"), "the next source of an id");
    }

    @Test
    void aValidXRequestIdIsEchoedAndSentUpstream() {
        Lambda.HttpReply reply = Lambda.http(post("v1", Map.of("X-Request-Id", "order-7781:a/b=c+d")));

        assertEquals(200, reply.statusCode());
        assertEquals("order-7781:a/b=c+d", reply.header("X-Request-Id"));
        assertEquals("order-7781:a/b=c+d", reply.body().path("correlation_id").asText());
        assertEquals("order-7781:a/b=c+d", ApiStubs.calls().get(0).getHeader("x-request-id"));
    }

    /** A method or path the function refuses reads nothing of the request: its X-Request-Id is passed over. */
    @Test
    void otherMethodsAndPathsAreRefusedForThemselvesWhateverTheXRequestId() {
        Lambda.HttpReply get = Lambda.http(Events.httpV2("GET", "/verifications", null,
                Map.of("x-request-id", "has space")));
        Lambda.HttpReply elsewhere = Lambda.http(Events.httpV2("POST", "/elsewhere", Events.body(NAME, MOBILE),
                Map.of("x-request-id", "has space")));

        assertEquals(405, get.statusCode());
        assertEquals("METHOD_NOT_ALLOWED", get.body().path("error").path("type").asText());
        assertEquals(get.body().path("request_id").asText(), get.header("X-Request-Id"));
        assertEquals(404, elsewhere.statusCode());
        assertEquals("NOT_FOUND", elsewhere.body().path("error").path("type").asText());
    }

    private static void assertRefused(Lambda.HttpReply reply, String message) {
        assertEquals(400, reply.statusCode());
        assertEquals("INVALID_REQUEST", reply.body().path("error").path("type").asText());
        assertEquals(message, reply.body().path("error").path("message").asText());
        assertFalse(reply.body().path("error").path("retryable").asBoolean(true));
        assertEquals(0, ApiStubs.calls().size());
        assertEquals(0, SecretsManagerStubs.calls());
    }
}
