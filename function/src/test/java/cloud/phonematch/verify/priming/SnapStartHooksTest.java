package cloud.phonematch.verify.priming;

import static cloud.phonematch.verify.support.TestPeople.MOBILE;
import static cloud.phonematch.verify.support.TestPeople.NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import cloud.phonematch.verify.records.HashKeys;
import cloud.phonematch.verify.secrets.SecretReadRehearsal;
import cloud.phonematch.verify.secrets.SecretsManagerAccess;
import cloud.phonematch.verify.support.ApiStubs;
import cloud.phonematch.verify.support.Events;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Fakes;
import cloud.phonematch.verify.support.Lambda;
import cloud.phonematch.verify.support.SecretsManagerStubs;
import cloud.phonematch.verify.upstream.ApiCallRehearsal;
import cloud.phonematch.verify.upstream.VerificationApiClientFactory;
import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.TimeSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The SnapStart hooks, called as Lambda's runtime calls them, in an init that precedes a snapshot
 * ({@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}): the request path is primed before the snapshot, once, and after a
 * restore the state that must differ between containers is drawn anew — the API's circuit (a small window here, so that
 * two failures open it) and the records' hash key among it.
 */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
@TestProfile(SnapStartHooksTest.SnapshotFollows.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SnapStartHooksTest {

    public static class SnapshotFollows implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("priming.request-path.enabled", "true", "aws.lambda.initialization-type", "snap-start",
                    "verify.circuit-request-volume", "2", "verify.circuit-failure-ratio", "0.5",
                    "verify.circuit-delay", "60s", "verify.max-attempts", "1");
        }
    }

    @Inject
    SnapStartHooks hooks;

    @Inject
    Priming priming;

    @Inject
    HashKeys hashKeys;

    @Inject
    VerificationApiClientFactory apiClients;

    @Inject
    SecretsManagerAccess secrets;

    @BeforeEach
    void reset() {
        Fakes.reset();
    }

    @Test
    @Order(1)
    void theRequestPathIsPrimedBeforeTheSnapshotOnce() {
        assertTrue(priming.last().isEmpty(), "not at startup: the snapshot hook does it");
        assertFalse(apiClients.built(), "no client of the function's in the snapshot");
        assertFalse(secrets.connected(), "no client of the function's in the snapshot");

        hooks.beforeCheckpoint(null);

        Rehearsed primed = priming.last().orElseThrow(() -> new AssertionError("not primed"));
        assertEquals(1, primed.answered(ApiCallRehearsal.SERVICE));
        assertEquals(1, primed.answered(SecretReadRehearsal.SERVICE));
        hooks.beforeCheckpoint(null);
        assertSame(primed, priming.last().orElseThrow(), "not primed a second time");
        assertEquals(0, ApiStubs.calls().size(), "the API's fake saw nothing");
        assertEquals(0, SecretsManagerStubs.calls(), "Secrets Manager's fake saw nothing");
        assertFalse(apiClients.built(), "the snapshot hook sets up no client of the function's either");
        assertFalse(secrets.connected(), "the snapshot hook sets up no client of the function's either");
    }

    @Test
    @Order(2)
    void afterARestoreTheApisCircuitIsClosedAgain() {
        ApiStubs.answer(ApiStubs.error(503, "unavailable"));
        for (int i = 0; i < 2; i++) {
            assertEquals("UPSTREAM_UNAVAILABLE", Lambda.directFailure(Events.direct(NAME, MOBILE)).error()
                    .path("type").asText());
        }
        assertTrue(Lambda.directFailure(Events.direct(NAME, MOBILE)).error().path("circuit_open").asBoolean(),
                "two failures out of two open the circuit");
        assertEquals(2, ApiStubs.calls().size(), "the open circuit sent nothing");

        hooks.afterRestore(null);

        FakeApis.api().resetAll();
        ApiStubs.answer(ApiStubs.result("0"));
        assertEquals("CONSISTENT", Lambda.direct(Events.direct(NAME, MOBILE)).path("status").asText());
        assertEquals(1, ApiStubs.calls().size(), "the restored container calls the API");
    }

    @Test
    @Order(3)
    void afterARestoreTheContainersOwnHashKeyIsDrawnAgain() {
        String before = hashKeys.current(deadline()).person(NAME, MOBILE);
        assertEquals(before, hashKeys.current(deadline()).person(NAME, MOBILE));

        hooks.afterRestore(null);

        assertNotEquals(before, hashKeys.current(deadline()).person(NAME, MOBILE));
    }

    @Test
    @Order(4)
    void everyBeanAlreadyCreatedWithStateOfItsOwnIsRenewedAndNoOtherIsCreated() {
        Set<String> renewed = new TreeSet<>();
        SnapStartHooks.renewExisting().forEach(bean -> renewed.add(bean.getClass().getSimpleName()));

        // The beans a live invocation creates (the earlier tests made some): the API's circuit, the jitter of the
        // retries of the API and of the secret's read, the request bodies' generator, the X-Ray ids' generator, the
        // hash key of the in-memory records, the claims' owner ids. The DynamoDB store is not among them: this
        // configuration has no records table, and the hook creates nothing.
        assertEquals(Set.of("CircuitBreakingVerificationGateway", "ContainerHashKeys", "StoredVerificationRecords", "RequestBodies",
                "SecretsManagerAccess", "VerificationFlow", "XRayTracing"), renewed);
    }

    private static Deadline deadline() {
        return Deadline.of(TimeSource.SYSTEM, TimeSource.SYSTEM.nanoTime(), 10_000, Duration.ZERO,
                Duration.ZERO);
    }
}
