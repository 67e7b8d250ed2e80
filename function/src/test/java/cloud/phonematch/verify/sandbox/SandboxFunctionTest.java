package cloud.phonematch.verify.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.support.ApiStubs;
import cloud.phonematch.verify.support.Events;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Fakes;
import cloud.phonematch.verify.support.Lambda;
import cloud.phonematch.verify.support.SandboxUpstream;
import cloud.phonematch.verify.support.SecretsManagerStubs;
import cloud.phonematch.verify.support.TestPeople;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The whole function with VERIFY_UPSTREAM=sandbox: answers by the last digit, touching neither fake. */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
@TestProfile(SandboxUpstream.class)
class SandboxFunctionTest {

    @BeforeEach
    void reset() {
        Fakes.reset();
    }

    @ParameterizedTest(name = "…{0} -> {1}")
    @CsvSource({ "13912345670, CONSISTENT, true", "13912345671, INCONSISTENT, false",
            "13912345672, NO_RECORD, ", "13912345675, DAILY_LIMIT_EXCEEDED, ", "13912345679, CONSISTENT, true" })
    void answers(String mobile, String status, Boolean match) {
        JsonNode out = Lambda.direct(Events.direct(TestPeople.NAME, mobile));

        assertEquals(status, out.path("status").asText());
        assertEquals(match == null, out.path("match").isNull());
        assertFalse(out.path("billable").asBoolean(), "the sandbox never charges");
        assertFalse(out.path("checked_upstream").asBoolean(), "the sandbox calls no API");
        assertEquals(0, out.path("attempts").asInt(), "the sandbox's answer is no call");
        assertTrue(out.path("hint").isNull(), "a hint is the pre-check's");
        assertTrue(out.path("upstream_trace_id").isNull());
        assertEquals(0, ApiStubs.calls().size(), "the sandbox makes no network call");
        assertEquals(0, SecretsManagerStubs.calls(), "the sandbox needs no token");
    }

    @ParameterizedTest(name = "…{0} -> ENGINE_ERROR {1}")
    @CsvSource({ "13912345673, -2", "13912345674, -3" })
    void engineErrors(String mobile, String resultCode) {
        Lambda.FunctionError failure = Lambda.directFailure(Events.direct(TestPeople.NAME, mobile));

        assertEquals("cloud.phonematch.verify.output.EngineErrorException", failure.errorType());
        assertEquals("ENGINE_ERROR", failure.error().path("type").asText());
        assertEquals(resultCode, failure.error().path("upstream_code").asText(), "the result code it played");
        assertTrue(failure.error().path("upstream_status").isMissingNode(), "no API answered over HTTP");
        assertEquals(0, failure.error().path("attempts").asInt(), "the sandbox's answers are no calls");
        assertEquals(0, failure.error().path("possibly_charged_attempts").asInt());
        assertEquals(0, ApiStubs.calls().size());
    }

    @Test
    void preCheckStillApplies() {
        Lambda.HttpReply reply = Lambda.http(Events.httpV2("POST", "/verifications",
                Events.body(TestPeople.INVALID_NAME, TestPeople.MOBILE), Map.of()));

        assertEquals(200, reply.statusCode());
        assertEquals("INVALID_NAME", reply.body().path("status").asText());
        assertFalse(reply.body().path("checked_upstream").asBoolean());
    }
}
