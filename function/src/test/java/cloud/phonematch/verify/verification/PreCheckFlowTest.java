package cloud.phonematch.verify.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.precheck.PreCheckResult.Reason;
import cloud.phonematch.verify.support.ApiStubs;
import cloud.phonematch.verify.support.Events;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Fakes;
import cloud.phonematch.verify.support.Lambda;
import cloud.phonematch.verify.support.SecretsManagerStubs;
import cloud.phonematch.verify.support.TestPeople;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Invalid input is answered locally: no paid call, no token fetch. */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
class PreCheckFlowTest {

    @BeforeEach
    void reset() {
        Fakes.reset();
        ApiStubs.answer(ApiStubs.result("0"));
    }

    @Test
    void invalidNameIsAnsweredLocally() {
        JsonNode out = Lambda.direct(Events.direct(TestPeople.INVALID_NAME, TestPeople.MOBILE));

        assertEquals("INVALID_NAME", out.path("status").asText());
        assertEquals(-4, out.path("result_code").asInt());
        assertFalse(out.path("checked_upstream").asBoolean());
        assertFalse(out.path("billable").asBoolean());
        assertEquals(0, out.path("attempts").asInt());
        assertEquals("139****5670", out.path("mobile").asText());
        assertEquals(Reason.INVALID_NAME.hint(Locale.ENGLISH), out.path("hint").asText());
        assertEquals(0, ApiStubs.calls().size());
        assertEquals(0, SecretsManagerStubs.calls());
    }

    @Test
    void invalidMobileIsAnsweredLocally() {
        JsonNode out = Lambda.direct(Events.direct(TestPeople.NAME, TestPeople.INVALID_MOBILE));

        assertEquals("INVALID_MOBILE", out.path("status").asText());
        assertEquals(-5, out.path("result_code").asInt());
        assertTrue(out.path("carrier").isNull());
        assertEquals("123****8901", out.path("mobile").asText());
        assertEquals(Reason.INVALID_MOBILE.hint(Locale.ENGLISH), out.path("hint").asText());
        assertEquals(0, ApiStubs.calls().size());
    }

    /** Chinese names are registered without spaces: a short one typed with spaces is sent without them. */
    @ParameterizedTest
    @CsvSource({ TestPeople.SPACED_NAME + "," + TestPeople.SPACED_NAME_JOINED, "欧阳 娜娜," + TestPeople.OTHER_NAME })
    void aShortChineseNameIsSentWithoutSpaces(String typed, String sent) {
        JsonNode out = Lambda.direct(Events.direct(typed, TestPeople.MOBILE));

        assertEquals("CONSISTENT", out.path("status").asText());
        assertTrue(out.path("hint").isNull(), "no hint on an answer from upstream");
        assertEquals(1, ApiStubs.calls().size());
        assertEquals(sent, sentName());
    }

    /**
     * A space next to a Han character that cannot simply be dropped (a longer name, where it may stand for the
     * '·' of a transliteration, or Han next to Latin) would only buy a mismatch: answered locally.
     */
    @ParameterizedTest
    @ValueSource(strings = { TestPeople.SPACED_TRANSLITERATED_NAME, TestPeople.SPACED_MIXED_NAME })
    void aSpaceNextToAHanCharacterIsRefusedLocally(String name) {
        JsonNode out = Lambda.direct(Events.direct(name, TestPeople.MOBILE));

        assertRefusedForSpacing(out);
    }

    /** The local INVALID_NAME answer to a space next to a Han character: nothing read, nothing sent, a hint. */
    static void assertRefusedForSpacing(JsonNode out) {
        assertEquals("INVALID_NAME", out.path("status").asText());
        assertEquals(-4, out.path("result_code").asInt());
        assertFalse(out.path("checked_upstream").asBoolean());
        assertFalse(out.path("billable").asBoolean());
        assertEquals(0, out.path("attempts").asInt());
        assertEquals(Reason.SPACE_NEXT_TO_HAN.hint(Locale.ENGLISH), out.path("hint").asText());
        assertEquals(0, ApiStubs.calls().size());
        assertEquals(0, SecretsManagerStubs.calls());
    }

    /** The hint is in the request's language, like the description: Accept-Language or the body's field. */
    @Test
    void theHintFollowsTheRequestsLanguage() {
        Lambda.HttpReply reply = Lambda.http(Events.httpV2("POST", "/verifications",
                Events.body(TestPeople.SPACED_MIXED_NAME, TestPeople.MOBILE), Map.of("accept-language", "zh-CN")));
        JsonNode direct = Lambda.direct("{\"name\":\"" + TestPeople.NAME + "\",\"mobile\":\""
                + TestPeople.INVALID_MOBILE + "\",\"language\":\"zh\"}");

        assertEquals("姓名校验不通过", reply.body().path("description").asText());
        assertEquals(Reason.SPACE_NEXT_TO_HAN.hint(Locale.SIMPLIFIED_CHINESE), reply.body().path("hint").asText());
        assertEquals("手机号码不合法", direct.path("description").asText());
        assertEquals(Reason.INVALID_MOBILE.hint(Locale.SIMPLIFIED_CHINESE), direct.path("hint").asText());
        assertEquals(0, ApiStubs.calls().size());
    }

    @Test
    void whenBothAreInvalidTheNameWins() {
        JsonNode out = Lambda.direct(Events.direct(TestPeople.INVALID_NAME, "12"));

        assertEquals("INVALID_NAME", out.path("status").asText());
        assertEquals("**", out.path("mobile").asText());
        assertEquals(0, ApiStubs.calls().size());
    }

    private static String sentName() {
        try {
            return Json.MAPPER.readTree(ApiStubs.calls().get(0).getBodyAsString()).path("name").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
