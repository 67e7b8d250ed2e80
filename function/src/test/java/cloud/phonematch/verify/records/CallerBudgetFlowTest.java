package cloud.phonematch.verify.records;

import static cloud.phonematch.verify.support.TestPeople.MOBILE;
import static cloud.phonematch.verify.support.TestPeople.NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cloud.phonematch.verify.support.ApiStubs;
import cloud.phonematch.verify.support.Events;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Fakes;
import cloud.phonematch.verify.support.Lambda;
import cloud.phonematch.verify.support.RecordedLogs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * No one caller spends the budget of all: five charged answers a day in all, two for any one caller. Callers are who
 * API Gateway says sent the request (an IAM principal, else the source address); direct invocations count against the
 * budget of all only ({@link DirectCallerBudgetFlowTest}). Call counts come from the fake API's journal.
 */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
@TestProfile(CallerBudgetFlowTest.TwoPerCaller.class)
class CallerBudgetFlowTest {

    public static final class TwoPerCaller implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("verify.daily-budget", "5", "verify.caller-daily-budget", "2");
        }
    }

    static final String ALICE = "arn:aws:iam::111122223333:user/alice";

    @BeforeEach
    void reset() {
        Fakes.reset();
    }

    static Lambda.HttpReply asAlice() {
        return Lambda.http(Events.signedBy(ALICE, Events.httpV2("POST", "/verifications", Events.body(NAME, MOBILE),
                Map.of())));
    }

    private static Lambda.HttpReply from(String sourceIp) {
        return Lambda.http(Events.fromAddress(sourceIp, Events.httpV2("POST", "/verifications",
                Events.body(NAME, MOBILE), Map.of())));
    }

    @Test
    void oneCallerSpendsItsOwnShareAndTheOthersAreStillAnswered() {
        ApiStubs.answer(ApiStubs.result("0"));

        List<Integer> alice = List.of(asAlice().statusCode(), asAlice().statusCode());
        Lambda.HttpReply aliceOver = asAlice();
        Lambda.HttpReply fromAnAddress = from("198.51.100.7");
        Lambda.HttpReply fromAnother = from("198.51.100.8");
        Lambda.HttpReply fromTheFirstAgain = from("198.51.100.7");

        assertEquals(List.of(200, 200), alice);
        assertEquals(429, aliceOver.statusCode());
        assertEquals("BUDGET_EXHAUSTED", aliceOver.body().path("error").path("type").asText());
        assertTrue(aliceOver.body().path("error").path("message").asText().contains("this caller's budget of 2"),
                aliceOver.body().toString());
        assertTrue(Long.parseLong(aliceOver.header("Retry-After")) > 0);
        assertEquals(200, fromAnAddress.statusCode(), "another caller still has its share");
        assertEquals(200, fromAnother.statusCode());
        assertEquals(200, fromTheFirstAgain.statusCode());
        assertEquals(5, ApiStubs.calls().size(), "two of Alice's, three from addresses; none over her budget");
    }

    @Test
    void theSummaryLineNamesTheCallerNotThePerson() {
        // -1 is not charged: the reservations are given back, and the other test's shares are left as they were.
        ApiStubs.answer(ApiStubs.result("-1"));
        try (RecordedLogs logs = RecordedLogs.start()) {
            asAlice();
            from("203.0.113.9");
            Lambda.direct(Events.direct(NAME, MOBILE));

            List<String> callers = logs.messages().stream()
                    .filter(m -> m.logger().equals("cloud.phonematch.verify.summary"))
                    .map(m -> m.mdc().get("caller")).toList();
            assertEquals(List.of("iam:" + ALICE, "ip:203.0.113.9", "direct"), callers);
            assertTrue(logs.messages().stream().noneMatch(m -> m.mdc().values().stream()
                    .anyMatch(v -> v.contains(NAME) || v.contains(MOBILE))), "never the person checked");
        }
    }
}
