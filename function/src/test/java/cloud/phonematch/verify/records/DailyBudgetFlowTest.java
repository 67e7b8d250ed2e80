package cloud.phonematch.verify.records;

import static cloud.phonematch.verify.support.TestPeople.MOBILE;
import static cloud.phonematch.verify.support.TestPeople.NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.output.BudgetExhaustedException;
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
 * The daily spend guard through the function, with a budget of one charged answer a day (in memory: this test's
 * function runs alone). Call counts come from the fake API's journal.
 */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
@TestProfile(DailyBudgetFlowTest.OneADay.class)
class DailyBudgetFlowTest {

    /** One charged answer a day. */
    public static final class OneADay implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("verify.daily-budget", "1");
        }
    }

    @BeforeEach
    void reset() {
        Fakes.reset();
    }

    @Test
    void onlyChargedAnswersCountAndTheNextCallOverBudgetIsRefusedWithoutACall() {
        ApiStubs.answer(ApiStubs.result("-1"));
        assertEquals("NO_RECORD", Lambda.direct(Events.direct(NAME, MOBILE)).path("status").asText());

        ApiStubs.answer(ApiStubs.result("0"));
        ObjectNode keyed = Json.object().put("name", NAME).put("mobile", MOBILE).put("idempotency_key", "budget-1");
        JsonNode charged = Lambda.direct(Json.write(keyed));
        assertTrue(charged.path("billable").asBoolean(), "-1 was given back, so the budget still had room");

        Lambda.FunctionError over = Lambda.directFailure(Events.direct(NAME, MOBILE));
        Lambda.HttpReply overHttp = Lambda.http(Events.httpV2("POST", "/verifications", Events.body(NAME, MOBILE),
                Map.of()));
        JsonNode replayed = Lambda.direct(Json.write(keyed));

        assertEquals(BudgetExhaustedException.class.getName(), over.errorType());
        assertEquals("BUDGET_EXHAUSTED", over.error().path("type").asText());
        assertFalse(over.error().path("retryable").asBoolean());
        assertEquals(429, overHttp.statusCode());
        assertTrue(Long.parseLong(overHttp.header("Retry-After")) > 0);
        assertTrue(replayed.path("replayed").asBoolean(), "a replay needs no budget");
        assertEquals(2, ApiStubs.calls().size(), "the -1 and the charged answer; nothing over budget");
    }
}
