package cloud.phonematch.verify.secrets;

import static cloud.phonematch.verify.support.TestPeople.MOBILE;
import static cloud.phonematch.verify.support.TestPeople.NAME;
import static cloud.phonematch.verify.support.TestPeople.TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.support.ApiStubs;
import cloud.phonematch.verify.support.Events;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Fakes;
import cloud.phonematch.verify.support.Lambda;
import cloud.phonematch.verify.support.SecretsManagerStubs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A secret whose token cannot be sent, through the whole function: a configuration failure before any call (counted
 * at the API fake's journal), never possibly charged, and the idempotency key free again once the secret is fixed.
 */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
class UnusableTokenFlowTest {

    @BeforeEach
    void reset() {
        Fakes.reset();
    }

    /** The secret as stored, TOKEN standing for the test token. (Blanks around the whole token are stripped.) */
    @ParameterizedTest
    @ValueSource(strings = { "TOKEN\r\nX-Injected: 1", "{\"token\":\"TOKEN\\r\\nX-Injected: 1\"}",
            "{\"token\":[\"TOKEN\"]}", "[\"TOKEN\"]", "{\"token\":42}", "{\"token\":{\"v\":\"TOKEN\"}}", "TOKEN x",
            "TOKEN\tx", "{\"token\":\"TOKEN x\"}" })
    void isAConfigurationFailureBeforeAnyCallAndLeavesTheKeyUsable(String stored) {
        String secret = stored.replace("TOKEN", TOKEN);
        FakeApis.secretsManager().resetAll();
        SecretsManagerStubs.holds(secret);
        ApiStubs.answer(ApiStubs.result("0"));
        String key = "test-" + UUID.randomUUID();

        Lambda.FunctionError failure = Lambda.directFailure(keyed(key));

        assertEquals("cloud.phonematch.verify.output.ConfigurationException", failure.errorType());
        JsonNode error = failure.error();
        assertEquals("CONFIGURATION", error.path("type").asText());
        assertFalse(error.path("outcome_unknown").asBoolean(), "nothing was sent: cannot have been charged");
        assertFalse(error.path("retryable").asBoolean());
        assertTrue(error.path("message").asText().contains("token"), error.path("message").asText());
        assertFalse(error.toString().contains(TOKEN), "the message never quotes the token");
        assertEquals(0, ApiStubs.calls().size(), "requests at the API");

        Lambda.HttpReply http = Lambda.http(Events.httpV2("POST", "/verifications", keyed(key), Map.of()));
        assertEquals(500, http.statusCode());
        assertEquals("CONFIGURATION", http.body().path("error").path("type").asText());
        assertEquals(0, ApiStubs.calls().size(), "requests at the API");

        // The secret is fixed: the same key verifies, once.
        FakeApis.secretsManager().resetAll();
        SecretsManagerStubs.holds(TOKEN);
        TokenCache.forget();
        JsonNode out = Lambda.direct(keyed(key));
        assertEquals("CONSISTENT", out.path("status").asText());
        assertFalse(out.path("replayed").asBoolean());
        assertEquals(1, ApiStubs.calls().size(), "requests at the API");
        assertEquals("Bearer " + TOKEN, ApiStubs.calls().get(0).getHeader("Authorization"));
    }

    private static String keyed(String key) {
        ObjectNode n = Json.object();
        n.put("name", NAME);
        n.put("mobile", MOBILE);
        n.put("idempotency_key", key);
        return Json.write(n);
    }
}
