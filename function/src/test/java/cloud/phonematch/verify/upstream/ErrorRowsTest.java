package cloud.phonematch.verify.upstream;

import static cloud.phonematch.verify.support.TestPeople.MOBILE;
import static cloud.phonematch.verify.support.TestPeople.NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

import cloud.phonematch.verify.support.ApiStubs;
import cloud.phonematch.verify.support.Events;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Fakes;
import cloud.phonematch.verify.support.Lambda;
import cloud.phonematch.verify.support.SecretsManagerStubs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every row of the error table, seen by both kinds of caller: the HTTP status and body an API Gateway caller
 * gets, and the exception class a Step Functions task gets. Call counts come from WireMock's journal.
 */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
class ErrorRowsTest {
    private static final String EXCEPTIONS = "cloud.phonematch.verify.output.";

    @BeforeEach
    void reset() {
        Fakes.reset();
    }

    /** Each row: the API's reply, then what the caller sees; a possibly charged failure is never repeated. */
    static Stream<Arguments> apiErrors() {
        return Stream.of(
                row(ApiStubs.error(400, "bad_request"), "UPSTREAM_CONTRACT", 502, false, false, 400, "bad_request"),
                row(ApiStubs.error(400, "api_not_implemented"), "UPSTREAM_CONTRACT", 502, false, false, 400,
                        "api_not_implemented"),
                row(ApiStubs.error(403, "used_up"), "QUOTA_EXHAUSTED", 503, false, false, 403, "used_up"),
                row(ApiStubs.error(403, "forbidden"), "UPSTREAM_AUTH", 502, false, false, 403, "forbidden"),
                row(ApiStubs.error(500, "api_error"), "UPSTREAM_UNAVAILABLE", 503, true, false, 500, "api_error"),
                row(ApiStubs.json(502, "<html>Bad Gateway</html>"), "UPSTREAM_UNAVAILABLE", 502, false, true, 502,
                        null),
                row(ApiStubs.json(503, ""), "UPSTREAM_UNAVAILABLE", 503, true, false, 503, null),
                row(ApiStubs.error(504, "timeout"), "UPSTREAM_TIMEOUT", 504, false, true, 504, "timeout"),
                row(ApiStubs.error(418, "teapot"), "UPSTREAM_CONTRACT", 502, false, false, 418, "teapot"),
                row(ApiStubs.json(200, ""), "UPSTREAM_CONTRACT", 502, false, true, 200, null),
                row(ApiStubs.json(200, "<html><body>proxy login</body></html>"), "UPSTREAM_CONTRACT", 502, false,
                        true, 200, null),
                row(ApiStubs.json(200, "{\"description\":\"no result here\"}"), "UPSTREAM_CONTRACT", 502, false,
                        true, 200, null),
                row(ApiStubs.result("7"), "UPSTREAM_CONTRACT", 502, false, true, 200, "7"),
                row(ApiStubs.json(200, "{\"result\":\"zero\"}"), "UPSTREAM_CONTRACT", 502, false, true, 200,
                        "zero"),
                row(ApiStubs.error(200, "api_error"), "UPSTREAM_CONTRACT", 502, false, true, 200, "api_error"));
    }

    private static Arguments row(ResponseDefinitionBuilder stub, String type, int httpStatus, boolean retryable,
            boolean outcomeUnknown, Integer upstreamStatus, String upstreamCode) {
        return Arguments.of(stub, type, httpStatus, retryable, outcomeUnknown, upstreamStatus, upstreamCode);
    }

    @ParameterizedTest(name = "{1} via API Gateway")
    @MethodSource("apiErrors")
    void apiGatewayCallerGetsStatusAndEnvelope(ResponseDefinitionBuilder stub, String type, int httpStatus,
            boolean retryable, boolean outcomeUnknown, Integer upstreamStatus, String upstreamCode) {
        ApiStubs.answer(stub);

        Lambda.HttpReply reply = Lambda.http(Events.httpV2("POST", "/verifications", Events.body(NAME, MOBILE),
                Map.of()));

        assertEquals(httpStatus, reply.statusCode());
        var error = reply.body().path("error");
        assertEquals(type, error.path("type").asText());
        assertEquals(retryable, error.path("retryable").asBoolean());
        assertEquals(outcomeUnknown, error.path("outcome_unknown").asBoolean());
        assertEquals(upstreamStatus.intValue(), error.path("upstream_status").asInt());
        if (upstreamCode == null) {
            assertTrue(error.path("upstream_code").isMissingNode());
        } else {
            assertEquals(upstreamCode, error.path("upstream_code").asText());
        }
        assertFalse(error.path("message").asText().contains("upstream says"), "the API's own message is not copied");
        // Uncharged transient refusals are repeated up to VERIFY_MAX_ATTEMPTS (3); everything else never.
        assertEquals(retryable ? 3 : 1, ApiStubs.calls().size(), "calls to the API");
    }

    @ParameterizedTest(name = "{1} via direct invocation")
    @MethodSource("apiErrors")
    void directCallerGetsTypedException(ResponseDefinitionBuilder stub, String type, int httpStatus,
            boolean retryable, boolean outcomeUnknown, Integer upstreamStatus, String upstreamCode) {
        ApiStubs.answer(stub);

        Lambda.FunctionError failure = Lambda.directFailure(Events.direct(NAME, MOBILE));

        // A possibly charged failure has a class of its own, whatever its type, so no workflow Retry pays twice.
        assertEquals(EXCEPTIONS + (outcomeUnknown ? "OutcomeUnknownException" : exceptionFor(type)),
                failure.errorType());
        assertEquals(type, failure.error().path("type").asText());
        assertEquals(retryable, failure.error().path("retryable").asBoolean());
        assertEquals(outcomeUnknown, failure.error().path("outcome_unknown").asBoolean());
        assertEquals(retryable ? 3 : 1, ApiStubs.calls().size(), "calls to the API");
    }

    @Test
    void rateLimitedCarriesRetryAfter() {
        ApiStubs.answer(ApiStubs.error(429, "too_many_requests").withHeader("Retry-After", "30"));

        Lambda.HttpReply reply = Lambda.http(Events.httpV2("POST", "/verifications", Events.body(NAME, MOBILE),
                Map.of()));

        assertEquals(429, reply.statusCode());
        assertEquals("30", reply.header("Retry-After"));
        assertEquals("RATE_LIMITED", reply.body().path("error").path("type").asText());
        assertEquals(30, reply.body().path("error").path("retry_after_seconds").asInt());
        assertTrue(reply.body().path("error").path("retryable").asBoolean());

        Lambda.FunctionError failure = Lambda.directFailure(Events.direct(NAME, MOBILE));
        assertEquals(EXCEPTIONS + "RateLimitedException", failure.errorType());
        assertEquals(30, failure.error().path("retry_after_seconds").asInt());
    }

    @Test
    void missingSecretIsConfiguration() {
        FakeApis.secretsManager().resetAll();
        FakeApis.secretsManager().stubFor(SecretsManagerStubs.getSecretValue()
                .willReturn(SecretsManagerStubs.awsError(400, "ResourceNotFoundException")));
        ApiStubs.answer(ApiStubs.result("0"));

        Lambda.HttpReply reply = Lambda.http(Events.httpV2("POST", "/verifications", Events.body(NAME, MOBILE),
                Map.of()));

        assertEquals(500, reply.statusCode());
        assertEquals("CONFIGURATION", reply.body().path("error").path("type").asText());
        assertFalse(reply.body().path("error").path("retryable").asBoolean());
        assertEquals(0, ApiStubs.calls().size(), "no API call without a token");

        Lambda.FunctionError failure = Lambda.directFailure(Events.direct(NAME, MOBILE));
        assertEquals(EXCEPTIONS + "ConfigurationException", failure.errorType());
    }

    @Test
    void secretWithoutTheTokenFieldIsConfiguration() {
        FakeApis.secretsManager().resetAll();
        SecretsManagerStubs.holds("{\"username\":\"svc\"}");
        ApiStubs.answer(ApiStubs.result("0"));

        Lambda.FunctionError failure = Lambda.directFailure(Events.direct(NAME, MOBILE));

        assertEquals(EXCEPTIONS + "ConfigurationException", failure.errorType());
        assertTrue(failure.error().path("message").asText().contains("'token'"));
        assertEquals(0, ApiStubs.calls().size());
    }

    private static String exceptionFor(String type) {
        return switch (type) {
            case "UPSTREAM_CONTRACT" -> "UpstreamContractException";
            case "QUOTA_EXHAUSTED" -> "QuotaExhaustedException";
            case "UPSTREAM_AUTH" -> "UpstreamAuthException";
            case "UPSTREAM_UNAVAILABLE" -> "UpstreamUnavailableException";
            case "UPSTREAM_TIMEOUT" -> "UpstreamTimeoutException";
            default -> throw new IllegalArgumentException(type);
        };
    }
}
