package cloud.phonematch.verify.crypto;

import static cloud.phonematch.verify.support.TestPeople.MOBILE;
import static cloud.phonematch.verify.support.TestPeople.NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.support.ApiStubs;
import cloud.phonematch.verify.support.DecryptingApi;
import cloud.phonematch.verify.support.Events;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Fakes;
import cloud.phonematch.verify.support.Lambda;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * SM4-GCM with SM2, the provider key from VERIFY_ENCRYPTION_PUBLIC_KEY, the envelope as a single object:
 * the fake API decrypts what the function sent and answers by the plaintext.
 */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
@TestProfile(EncryptionSm4Test.Sm4.class)
class EncryptionSm4Test {
    static final TestKeys.KeyPairForTest SM2 = TestKeys.sm2();

    public static class Sm4 implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("verify.encryption", "SM4-GCM", "verify.encryption-public-key", SM2.publicKeyPem(),
                    "verify.encryption-shape", "object");
        }
    }

    @BeforeEach
    void reset() {
        Fakes.reset();
        FakeApis.api().stubFor(ApiStubs.check().willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.aResponse().withTransformers(DecryptingApi.NAME)));
        DecryptingApi.expect(SM2.privateKey(), NAME, MOBILE);
    }

    @Test
    void roundTripWithTheConfiguredKey() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals("CONSISTENT", Lambda.direct(Events.direct(NAME, MOBILE)).path("status").asText());
        }
        JsonNode first = Json.MAPPER.readTree(ApiStubs.calls().get(0).getBodyAsString());
        JsonNode second = Json.MAPPER.readTree(ApiStubs.calls().get(1).getBodyAsString());
        assertTrue(first.path("encryption").isObject(), "VERIFY_ENCRYPTION_SHAPE=object");
        assertEquals("SM4-GCM", first.path("encryption").path("algorithm").asText());
        assertEquals(2, first.path("encryption").path("tag_list").size());
        assertTrue(!first.path("encryption").path("iv").equals(second.path("encryption").path("iv"))
                && !first.path("mobile").equals(second.path("mobile")), "fresh key and IV per request");
    }
}
