package cloud.phonematch.verify.crypto;

import static cloud.phonematch.verify.support.TestPeople.MOBILE;
import static cloud.phonematch.verify.support.TestPeople.NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.secrets.TokenCache;
import cloud.phonematch.verify.support.ApiStubs;
import cloud.phonematch.verify.support.DecryptingApi;
import cloud.phonematch.verify.support.Events;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Fakes;
import cloud.phonematch.verify.support.Lambda;
import cloud.phonematch.verify.support.SecretsManagerStubs;
import cloud.phonematch.verify.support.TestPeople;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * AES-256-CBC with RSA, the provider key taken from the token secret's {@code public_key}: the fake API
 * decrypts what the function sent and answers by the plaintext.
 */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
@TestProfile(EncryptionTest.Aes.class)
class EncryptionTest {
    static final TestKeys.KeyPairForTest RSA = TestKeys.rsa();

    public static class Aes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("verify.encryption", "AES-256-CBC");
        }
    }

    @BeforeEach
    void reset() {
        Fakes.reset();
        FakeApis.secretsManager().resetAll();
        SecretsManagerStubs.holds(Json.write(Json.object().put("token", TestPeople.TOKEN)
                .put("public_key", RSA.publicKeyPem())));
        FakeApis.api().stubFor(ApiStubs.check().willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.aResponse().withTransformers(DecryptingApi.NAME)));
        DecryptingApi.expect(RSA.privateKey(), NAME, MOBILE);
    }

    @Test
    void roundTripWithTheKeyFromTheSecret() throws Exception {
        JsonNode out = Lambda.direct(Events.direct(" " + NAME + " ", "+86 " + MOBILE));

        assertEquals("CONSISTENT", out.path("status").asText(), "the provider decrypted the normalized values");
        JsonNode sent = Json.MAPPER.readTree(ApiStubs.calls().get(0).getBodyAsString());
        assertFalse(sent.path("name").asText().contains(NAME));
        assertFalse(sent.path("mobile").asText().contains(MOBILE));
        assertTrue(sent.path("encryption").isArray(), "one-element array by default");
        assertEquals("AES-256-CBC", sent.path("encryption").get(0).path("algorithm").asText());
    }

    @Test
    void aDifferentPersonDecryptsToADifferentAnswer() {
        DecryptingApi.expect(RSA.privateKey(), TestPeople.OTHER_NAME, MOBILE);

        assertEquals("INCONSISTENT", Lambda.direct(Events.direct(NAME, MOBILE)).path("status").asText());
    }

    @Test
    void badPublicKeyIsConfigurationAndNothingIsSent() {
        FakeApis.secretsManager().resetAll();
        SecretsManagerStubs.holds(Json.write(Json.object().put("token", TestPeople.TOKEN)
                .put("public_key", "-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----")));
        TokenCache.forget();

        Lambda.FunctionError failure = Lambda.directFailure(Events.direct(NAME, MOBILE));

        assertEquals("cloud.phonematch.verify.output.ConfigurationException", failure.errorType());
        assertFalse(failure.error().path("message").asText().contains("not a key"));
        assertEquals(0, ApiStubs.calls().size());
    }

    @Test
    void envelopeRefusedByTheApiSaysEncryptionRefused() {
        DecryptingApi.expect(TestKeys.rsa().privateKey(), NAME, MOBILE); // the provider holds another key

        Lambda.FunctionError failure = Lambda.directFailure(Events.direct(NAME, MOBILE));

        assertEquals("cloud.phonematch.verify.output.UpstreamContractException", failure.errorType());
        assertTrue(failure.error().path("message").asText().startsWith("encryption refused"));
        assertEquals(1, ApiStubs.calls().size());
    }
}
