package cloud.phonematch.verify.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

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
        assertEquals(0, ApiStubs.calls().size());
    }

    @Test
    void whenBothAreInvalidTheNameWins() {
        JsonNode out = Lambda.direct(Events.direct(TestPeople.INVALID_NAME, "12"));

        assertEquals("INVALID_NAME", out.path("status").asText());
        assertEquals("**", out.path("mobile").asText());
        assertEquals(0, ApiStubs.calls().size());
    }
}
