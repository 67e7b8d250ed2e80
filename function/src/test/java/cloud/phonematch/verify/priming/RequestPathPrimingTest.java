package cloud.phonematch.verify.priming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cloud.phonematch.verify.records.ClaimAndSettleRehearsal;
import cloud.phonematch.verify.secrets.SecretReadRehearsal;
import cloud.phonematch.verify.secrets.SecretsManagerAccess;
import cloud.phonematch.verify.support.ApiStubs;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Fakes;
import cloud.phonematch.verify.support.RecordedLogs;
import cloud.phonematch.verify.support.SecretsManagerStubs;
import cloud.phonematch.verify.upstream.ApiCallRehearsal;
import cloud.phonematch.verify.upstream.CircuitBreakingVerificationGateway;
import cloud.phonematch.verify.upstream.VerificationApiClientFactory;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * The request path's priming, on (as in production), in an on-demand init: rehearsed once at startup, where Lambda's
 * init CPU is unthrottled. Each part (the token's read, the records' claim and settle, the API's call) is rehearsed by
 * the package that owns it, against the coordinator's loopback server, which counts what it answered. A rehearsal
 * leaves nothing behind — no open server, no connection, nothing in the API's circuit, no log line — and the function's
 * own clients, set up after it at the end of the init, are the ones the first invocation calls through. WireMock's journal shows that the fakes of the real
 * services saw nothing.
 */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
@TestProfile(RequestPathPrimingTest.PrimingOn.class)
class RequestPathPrimingTest {

    public static class PrimingOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("priming.request-path.enabled", "true");
        }
    }

    @Inject
    Priming priming;

    @Inject
    SecretReadRehearsal secretRead;

    @Inject
    ClaimAndSettleRehearsal claimAndSettle;

    @Inject
    ApiCallRehearsal apiCall;

    @Inject
    VerificationApiClientFactory apiClients;

    @Inject
    SecretsManagerAccess secrets;

    @BeforeEach
    void reset() {
        Fakes.reset();
    }

    @Test
    void anOnDemandInitRehearsesThePathAtStartupThenSetsUpTheFunctionsClients() {
        StartupRehearsal.ranOnceAndSetUpTheFunctionsClients(priming, apiClients, secrets);

        assertTrue(priming.beforeSnapshot().isEmpty(), "once per process");
    }

    @Test
    void theRehearsalLeavesTheApisCircuitAlone() {
        priming.rehearse(1, List.of(secretRead, apiCall));

        assertThrows(IllegalArgumentException.class,
                () -> CircuitBreakerMaintenance.get().currentState(CircuitBreakingVerificationGateway.NAME),
                "the API's circuit does not exist before the first call: the rehearsal used a circuit of its own");
    }

    @Test
    void everyRoundOfTheRehearsalRunsThePathAgainstTheLoopbackServerOnly() {
        Rehearsed rehearsal = priming.rehearse(3, List.of(secretRead, apiCall));

        assertEquals(Map.of(SecretReadRehearsal.SERVICE, 3, ApiCallRehearsal.SERVICE, 3), rehearsal.answered());
        assertEquals(0, rehearsal.unknown());
        assertEquals(0, ApiStubs.calls().size(), "the API's fake saw nothing");
        assertEquals(0, SecretsManagerStubs.calls(), "Secrets Manager's fake saw nothing");
    }

    @Test
    void withARecordsTableAClaimAndASettleGoToDynamoDb() {
        Rehearsed rehearsal = priming.rehearse(1, List.of(secretRead, claimAndSettle, apiCall));

        assertEquals(2, rehearsal.answered(ClaimAndSettleRehearsal.SERVICE), "PutItem to claim, PutItem to settle");
        assertEquals(1, rehearsal.answered(ApiCallRehearsal.SERVICE));
        assertEquals(1, rehearsal.answered(SecretReadRehearsal.SERVICE));
        assertEquals(0, rehearsal.unknown());
    }

    @Test
    void leavesNoServerNoConnectionAndNoClientOfTheFunctionsOwn() {
        Rehearsed rehearsal = priming.rehearse(1, List.of(secretRead, claimAndSettle, apiCall));

        assertEquals(0, rehearsal.leftOpen(), "the priming's clients closed every connection they opened");
        // Asked of the server, not of its port: once freed, the port may be taken by any listener of this JVM.
        assertTrue(rehearsal.stopped(), "the loopback server is stopped");
    }

    @Test
    void logsNothing() {
        List<RecordedLogs.Message> logged;
        try (RecordedLogs logs = RecordedLogs.start()) {
            priming.rehearse(2, List.of(secretRead, claimAndSettle, apiCall));
            logged = logs.messages();
        }

        assertEquals(List.of(), logged);
    }
}
