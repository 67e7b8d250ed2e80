package cloud.phonematch.verify.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.priming.Placeholders;
import cloud.phonematch.verify.secrets.SecretsManagerAccess;
import cloud.phonematch.verify.support.ApiStubs;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Fakes;
import cloud.phonematch.verify.support.RecordedLogs;
import cloud.phonematch.verify.support.SecretsManagerStubs;
import cloud.phonematch.verify.upstream.CircuitBreakingVerificationGateway;
import cloud.phonematch.verify.upstream.VerificationApiClientFactory;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * The rehearsal of whole invocations answers each of its events as the function would, through the handler's own
 * code, and leaves no trace: no call reaches the fakes of the real services, no log line or metric is written, and
 * none of the function's own clients or circuit is touched. In an application of its own, so that no other test's
 * invocation has built those.
 */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
@TestProfile(InvocationRehearsalTest.OwnApplication.class)
class InvocationRehearsalTest {

    public static class OwnApplication implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("priming.local-paths.rounds", "1");
        }
    }

    @Inject
    InvocationRehearsal rehearsal;

    @Inject
    VerificationApiClientFactory apiClients;

    @Inject
    SecretsManagerAccess secrets;

    @BeforeEach
    void reset() {
        Fakes.reset();
    }

    @Test
    void answersEachEventAsTheFunctionWould() throws Exception {
        List<String> answers = rehearsal.answers();

        assertEquals(InvocationRehearsal.EVENTS.size(), answers.size(), "every event answered");
        JsonNode keyed = Json.MAPPER.readTree(answers.get(0));
        assertEquals(200, keyed.get("statusCode").asInt());
        JsonNode keyedBody = Json.MAPPER.readTree(keyed.get("body").asText());
        assertEquals("CONSISTENT", keyedBody.get("status").asText());
        assertEquals("138****0000", keyedBody.get("mobile").asText());
        assertEquals(1, keyedBody.get("attempts").asInt());

        JsonNode direct = Json.MAPPER.readTree(answers.get(1));
        assertEquals("CONSISTENT", direct.get("status").asText());
        assertEquals(Placeholders.ID, direct.get("request_id").asText());

        JsonNode refused = Json.MAPPER.readTree(answers.get(2));
        assertEquals(200, refused.get("statusCode").asInt(), "a number the pre-check refuses is an answer");
        JsonNode refusedBody = Json.MAPPER.readTree(refused.get("body").asText());
        assertEquals("INVALID_MOBILE", refusedBody.get("status").asText());
        assertEquals(0, refusedBody.get("attempts").asInt(), "answered before any call");
        assertFalse(refusedBody.get("checked_upstream").asBoolean());
    }

    @Test
    void leavesNoTraceAndTouchesNothingOfTheFunctionsOwn() {
        List<RecordedLogs.Message> logged;
        try (RecordedLogs logs = RecordedLogs.start()) {
            for (int i = 0; i < 3; i++) {
                rehearsal.rehearse();
            }
            logged = logs.messages();
        }

        assertEquals(List.of(), logged, "no summary line, no metric, nothing else");
        assertEquals(0, ApiStubs.calls().size(), "the API's fake saw nothing");
        assertEquals(0, SecretsManagerStubs.calls(), "Secrets Manager's fake saw nothing");
        assertFalse(apiClients.built(), "the function's API client is not built");
        assertFalse(secrets.connected(), "the function's Secrets Manager client is not set up");
        assertThrows(IllegalArgumentException.class,
                () -> CircuitBreakerMaintenance.get().currentState(CircuitBreakingVerificationGateway.NAME),
                "the API's circuit does not exist before the first call");
    }
}
