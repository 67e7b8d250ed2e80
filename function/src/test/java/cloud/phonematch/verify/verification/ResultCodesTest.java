package cloud.phonematch.verify.verification;

import static cloud.phonematch.verify.support.TestPeople.MOBILE;
import static cloud.phonematch.verify.support.TestPeople.NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import cloud.phonematch.verify.support.ApiStubs;
import cloud.phonematch.verify.support.Events;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Fakes;
import cloud.phonematch.verify.support.Lambda;
import cloud.phonematch.verify.support.SecretsManagerStubs;
import cloud.phonematch.verify.support.TestPeople;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Every result code of the API, end to end through a direct invocation against the WireMock API. */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
class ResultCodesTest {

    @BeforeEach
    void reset() {
        Fakes.reset();
    }

    @ParameterizedTest(name = "result {0} -> {1}")
    @CsvSource(nullValues = "null", value = {
            "0,  CONSISTENT,           true,  true,  Verification result is consistent",
            "1,  INCONSISTENT,         false, true,  Verification result is inconsistent",
            "-1, NO_RECORD,            null,  false, No record found",
            "-4, INVALID_NAME,         null,  false, Name verification failed",
            "-5, INVALID_MOBILE,       null,  false, Mobile number is invalid",
            "-6, DAILY_LIMIT_EXCEEDED, null,  false, "
                    + "'Authentication attempts exceeded the daily limit, please try again the next day'" })
    void businessAnswers(String code, String status, Boolean match, boolean billable, String description) {
        ApiStubs.answer(ApiStubs.result(code));

        JsonNode out = Lambda.direct(Events.direct(NAME, MOBILE));

        assertEquals(status, out.path("status").asText());
        assertEquals(match == null, out.path("match").isNull());
        if (match != null) {
            assertEquals(match, out.path("match").asBoolean());
        }
        assertEquals(Integer.parseInt(code), out.path("result_code").asInt());
        assertEquals(billable, out.path("billable").asBoolean());
        assertEquals(description, out.path("description").asText());
        assertTrue(out.path("hint").isNull(), "hints come only with local pre-check answers");
        assertEquals("139****5670", out.path("mobile").asText());
        assertTrue(out.path("checked_upstream").asBoolean());
        assertEquals(1, out.path("attempts").asInt());
        assertEquals("trace-" + code.replace("-", "m"), out.path("upstream_trace_id").asText());
        assertEquals(1, ApiStubs.calls().size(), "exactly one API call");
    }

    @ParameterizedTest(name = "result {0} -> ENGINE_ERROR")
    @CsvSource({ "-2", "-3" })
    void engineErrorsAreRetryableFailures(String code) {
        ApiStubs.answer(ApiStubs.result(code));

        Lambda.FunctionError failure = Lambda.directFailure(Events.direct(NAME, MOBILE));

        assertEquals("cloud.phonematch.verify.output.EngineErrorException", failure.errorType());
        assertEquals("ENGINE_ERROR", failure.error().path("type").asText());
        assertTrue(failure.error().path("retryable").asBoolean());
        assertEquals(code, failure.error().path("upstream_code").asText());
        assertEquals(200, failure.error().path("upstream_status").asInt());
        int calls = ApiStubs.calls().size();
        assertTrue(calls > 1, "retried: the API does not charge an engine error");
        assertEquals(calls, failure.error().path("attempts").asInt(), "every call it made");
        assertEquals(0, failure.error().path("possibly_charged_attempts").asInt());
    }

    /** Through API Gateway, the same fields with the status. */
    @Test
    void anEngineErrorOverHttpSaysHowManyCallsItMade() {
        ApiStubs.answer(ApiStubs.result("-2"));

        Lambda.HttpReply reply = Lambda.http(Events.httpV2("POST", "/verifications", Events.body(NAME, MOBILE),
                java.util.Map.of("content-type", "application/json")));

        assertEquals(502, reply.statusCode());
        JsonNode error = reply.body().path("error");
        assertEquals("ENGINE_ERROR", error.path("type").asText());
        assertEquals(200, error.path("upstream_status").asInt());
        assertEquals("-2", error.path("upstream_code").asText());
        assertEquals(ApiStubs.calls().size(), error.path("attempts").asInt());
        assertEquals(0, error.path("possibly_charged_attempts").asInt());
        assertTrue(error.path("outcome_unknown").isMissingNode());
    }

    @Test
    void sendsTheNormalizedValuesWithTheBearerToken() {
        ApiStubs.answer(ApiStubs.result("0"));

        Lambda.direct(Events.direct("  " + TestPeople.NAME_WITH_DOT_VARIANT + " ", TestPeople.MOBILE_FULLWIDTH_PLUS86));

        LoggedRequest sent = ApiStubs.calls().get(0);
        assertEquals("Bearer " + TestPeople.TOKEN, sent.getHeader("authorization"));
        assertTrue(sent.getHeader("Content-Type").startsWith("application/json"));
        assertTrue(sent.getHeader("Accept").contains("application/json"));
        JsonNode body = parse(sent.getBodyAsString());
        assertEquals("阿依古丽·买买提", body.path("name").asText());
        assertEquals(MOBILE, body.path("mobile").asText());
        assertEquals(2, body.size(), "only name and mobile are sent");
    }

    @Test
    void chineseDescriptionsAndCarrierOnRequest() {
        ApiStubs.answer(ApiStubs.result("0"));

        JsonNode out = Lambda.direct("{\"name\":\"" + NAME + "\",\"mobile\":\"" + MOBILE + "\",\"language\":\"zh\"}");

        assertEquals("验证结果一致", out.path("description").asText());
        assertEquals("中国移动", out.path("carrier").asText());
    }

    @Test
    void englishCarrierByDefault() {
        ApiStubs.answer(ApiStubs.result("1"));

        JsonNode out = Lambda.direct(Events.direct(NAME, MOBILE));

        assertEquals("China Mobile", out.path("carrier").asText());
    }

    private static JsonNode parse(String s) {
        try {
            return cloud.phonematch.verify.json.Json.MAPPER.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
