package cloud.phonematch.verify.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.support.ApiStubs;
import cloud.phonematch.verify.support.Events;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Fakes;
import cloud.phonematch.verify.support.Lambda;
import cloud.phonematch.verify.support.TestPeople;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * With VERIFY_PRECHECK=false the API judges names and numbers, except a space next to a Han character: that call
 * could only be a paid mismatch, so it is refused locally all the same.
 */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
@TestProfile(PreCheckOffFlowTest.PreCheckOff.class)
class PreCheckOffFlowTest {

    public static class PreCheckOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("verify.precheck", "false");
        }
    }

    @BeforeEach
    void reset() {
        Fakes.reset();
        ApiStubs.answer(ApiStubs.result("0"));
    }

    @Test
    void otherInvalidNamesGoToTheApi() {
        ApiStubs.answer(ApiStubs.result("-4"));

        JsonNode out = Lambda.direct(Events.direct(TestPeople.INVALID_NAME, TestPeople.MOBILE));

        assertEquals("INVALID_NAME", out.path("status").asText());
        assertTrue(out.path("checked_upstream").asBoolean());
        assertTrue(out.path("hint").isNull(), "the API's refusal carries no hint");
        assertEquals(1, ApiStubs.calls().size(), "the pre-check is off: the API judged the name");
    }

    @ParameterizedTest
    @ValueSource(strings = { TestPeople.SPACED_TRANSLITERATED_NAME, TestPeople.SPACED_MIXED_NAME })
    void aSpaceNextToAHanCharacterIsStillRefusedLocally(String name) {
        JsonNode out = Lambda.direct(Events.direct(name, TestPeople.MOBILE));

        PreCheckFlowTest.assertRefusedForSpacing(out);
    }

    @Test
    void aShortChineseNameIsStillSentWithoutSpaces() throws Exception {
        JsonNode out = Lambda.direct(Events.direct(TestPeople.SPACED_NAME, TestPeople.MOBILE));

        assertEquals("CONSISTENT", out.path("status").asText());
        assertEquals(1, ApiStubs.calls().size());
        assertEquals(TestPeople.SPACED_NAME_JOINED,
                Json.MAPPER.readTree(ApiStubs.calls().get(0).getBodyAsString()).path("name").asText());
    }
}
