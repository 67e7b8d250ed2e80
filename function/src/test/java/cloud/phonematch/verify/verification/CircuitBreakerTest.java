package cloud.phonematch.verify.verification;

import static cloud.phonematch.verify.support.TestPeople.MOBILE;
import static cloud.phonematch.verify.support.TestPeople.NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import cloud.phonematch.verify.support.ApiStubs;
import cloud.phonematch.verify.support.Events;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Fakes;
import cloud.phonematch.verify.support.Lambda;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The circuit breaker with a small window (4 calls, ratio 0.5, open 1 s) and one attempt per invocation,
 * so that each invocation is one call. Network calls are counted in WireMock's journal.
 */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
@TestProfile(CircuitBreakerTest.SmallWindow.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CircuitBreakerTest {

    public static class SmallWindow implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("verify.circuit-request-volume", "4", "verify.circuit-failure-ratio", "0.5",
                    "verify.circuit-delay", "1s", "verify.max-attempts", "1");
        }
    }

    @BeforeEach
    void reset() {
        Fakes.reset();
    }

    @Test
    @Order(1)
    void clientErrorsDoNotOpenTheCircuit() {
        ApiStubs.answer(ApiStubs.error(400, "bad_request"));

        for (int i = 0; i < 8; i++) {
            assertEquals("UPSTREAM_CONTRACT", Lambda.directFailure(Events.direct(NAME, MOBILE)).error()
                    .path("type").asText());
        }

        assertEquals(8, ApiStubs.calls().size(), "every call reached the API");
    }

    @Test
    @Order(2)
    void opensWhenHalfTheWindowFailedAndClosesAfterTheDelay() throws InterruptedException {
        // A known window: four successes.
        ApiStubs.answer(ApiStubs.result("0"));
        for (int i = 0; i < 4; i++) {
            Lambda.direct(Events.direct(NAME, MOBILE));
        }
        FakeApis.api().resetAll();
        ApiStubs.answer(ApiStubs.error(503, "unavailable"));

        // Window S S S F: 0.25 failed, still closed; S S F F: 0.5 failed, opens.
        for (int i = 0; i < 2; i++) {
            Lambda.FunctionError f = Lambda.directFailure(Events.direct(NAME, MOBILE));
            assertTrue(f.error().path("circuit_open").isMissingNode(), "closed while the failures are few");
        }
        assertEquals(2, ApiStubs.calls().size());

        for (int i = 0; i < 3; i++) {
            Lambda.FunctionError open = Lambda.directFailure(Events.direct(NAME, MOBILE));
            assertEquals("cloud.phonematch.verify.output.UpstreamUnavailableException", open.errorType());
            assertTrue(open.error().path("circuit_open").asBoolean());
            assertTrue(open.error().path("retryable").asBoolean());
        }
        assertEquals(2, ApiStubs.calls().size(), "no network call while open");

        Thread.sleep(1_200);
        FakeApis.api().resetAll();
        ApiStubs.answer(ApiStubs.result("0"));

        assertEquals("CONSISTENT", Lambda.direct(Events.direct(NAME, MOBILE)).path("status").asText());
        assertEquals("CONSISTENT", Lambda.direct(Events.direct(NAME, MOBILE)).path("status").asText());
        assertEquals(2, ApiStubs.calls().size(), "trial call let through, then closed");
    }
}
