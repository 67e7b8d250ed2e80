package cloud.phonematch.verify.records;

import static cloud.phonematch.verify.support.TestPeople.MOBILE;
import static cloud.phonematch.verify.support.TestPeople.NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
 * Direct invocations (the stack's own workflows, IAM-authorized on the function) count against the budget of all
 * only, not against any one caller's: five charged answers a day in all, two per caller. Call counts come from the
 * fake API's journal.
 */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
@TestProfile(DirectCallerBudgetFlowTest.TwoPerCallerFiveInAll.class)
class DirectCallerBudgetFlowTest {

    /** The same budgets as {@link CallerBudgetFlowTest}'s, in a function of its own (its counters start at 0). */
    public static final class TwoPerCallerFiveInAll implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("verify.daily-budget", "5", "verify.caller-daily-budget", "2");
        }
    }

    @BeforeEach
    void reset() {
        Fakes.reset();
    }

    @Test
    void directInvocationsCountOnlyAgainstTheBudgetOfAll() {
        ApiStubs.answer(ApiStubs.result("1"));

        for (int i = 0; i < 5; i++) {
            assertEquals("INCONSISTENT", Lambda.direct(Events.direct(NAME, MOBILE)).path("status").asText(),
                    "direct invocation " + (i + 1) + " of 5: past any one caller's 2");
        }
        Lambda.FunctionError over = Lambda.directFailure(Events.direct(NAME, MOBILE));
        Lambda.HttpReply alice = CallerBudgetFlowTest.asAlice();

        assertEquals("BUDGET_EXHAUSTED", over.error().path("type").asText());
        assertTrue(over.error().path("message").asText().contains("today's budget of 5"), over.error().toString());
        assertEquals(429, alice.statusCode(), "the budget of all is spent: Alice's own share does not help");
        assertEquals(5, ApiStubs.calls().size());
    }

}
