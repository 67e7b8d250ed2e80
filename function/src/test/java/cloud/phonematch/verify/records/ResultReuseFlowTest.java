package cloud.phonematch.verify.records;

import static cloud.phonematch.verify.support.TestPeople.MOBILE;
import static cloud.phonematch.verify.support.TestPeople.NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.support.ApiStubs;
import cloud.phonematch.verify.support.Events;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Fakes;
import cloud.phonematch.verify.support.Lambda;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Kept answers through the function, with a 30-day window. Call counts come from the fake API's journal. */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
@TestProfile(ResultReuseFlowTest.ThirtyDays.class)
class ResultReuseFlowTest {

    /** Charged answers are kept for 30 days. */
    public static final class ThirtyDays implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("verify.reuse-window", "30d");
        }
    }

    @BeforeEach
    void reset() {
        Fakes.reset();
    }

    @Test
    void theSamePersonIsAnsweredFromTheKeptAnswerUnlessFreshIsAsked() {
        ApiStubs.answer(ApiStubs.result("0"));
        String mobile = "13912345672";

        JsonNode first = Lambda.direct(Events.direct(NAME, mobile));
        JsonNode again = Lambda.direct(Events.direct(" " + NAME, "+86 " + mobile));
        JsonNode fresh = Lambda.direct(Json.write(Json.object().put("name", NAME).put("mobile", mobile)
                .put("fresh", true)));

        assertTrue(first.path("billable").asBoolean());
        assertTrue(again.path("reused").asBoolean());
        assertFalse(again.path("billable").asBoolean(), "the first invocation paid for it");
        assertEquals(0, again.path("attempts").asInt());
        assertEquals("CONSISTENT", again.path("status").asText());
        assertFalse(fresh.path("reused").asBoolean());
        assertTrue(fresh.path("billable").asBoolean());
        assertEquals(2, ApiStubs.calls().size(), "the first and the fresh one");
    }

    @Test
    void onlyChargedAnswersAreKept() {
        ApiStubs.answer(ApiStubs.result("-1"));
        String mobile = "13912345673";

        Lambda.direct(Events.direct(NAME, mobile));
        JsonNode again = Lambda.direct(Events.direct(NAME, mobile));

        assertFalse(again.path("reused").asBoolean());
        assertEquals(2, ApiStubs.calls().size(), "NO_RECORD is not charged, so not kept");
        assertEquals(400, Lambda.http(Events.httpV2("POST", "/verifications",
                Json.write(Json.object().put("name", NAME).put("mobile", mobile).put("fresh", "yes")), Map.of()))
                .statusCode(), "fresh must be a boolean");
    }

    /**
     * The kept answer is keyed by the name as it is sent: typing differences the pre-check normalizes (full-width
     * letters, runs of spaces) are the same person, a change of case is not (the API is not documented to ignore
     * it), so it is a check of its own.
     */
    @Test
    void typingDifferencesAreTheSamePersonButCaseIsNot() {
        ApiStubs.answer(ApiStubs.result("0"));
        String mobile = "13912345674";

        Lambda.direct(Events.direct("John Smith", mobile));
        JsonNode spaced = Lambda.direct(Events.direct("  John   Smith ", mobile));
        JsonNode fullWidth = Lambda.direct(Events.direct("Ｊｏｈｎ Ｓｍｉｔｈ", mobile));
        JsonNode upper = Lambda.direct(Events.direct("JOHN SMITH", mobile));

        assertTrue(spaced.path("reused").asBoolean());
        assertTrue(fullWidth.path("reused").asBoolean());
        assertFalse(upper.path("reused").asBoolean(), "another spelling: the API compares it as sent");
        assertEquals(List.of("John Smith", "JOHN SMITH"),
                ApiStubs.calls().stream().map(c -> Json.parseObject(c.getBodyAsString()).orElseThrow()
                        .path("name").asText()).toList());
    }
}
