package cloud.phonematch.verify.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import cloud.phonematch.verify.crypto.EncryptionSettings;
import cloud.phonematch.verify.support.SettingsStub;
import cloud.phonematch.verify.crypto.CryptoConfigurationException;
import cloud.phonematch.verify.crypto.TestKeys;
import cloud.phonematch.verify.verification.ApiToken;
import cloud.phonematch.verify.verification.UpstreamCall;

/** The request body: plaintext when off, and never plaintext when the setting is wrong. */
class RequestBodiesTest {

    private static EncryptionSettings config(String encryption, String publicKey) {
        return config(encryption, publicKey, false);
    }

    private static EncryptionSettings config(String encryption, String publicKey, boolean allowRsa1024) {
        return SettingsStub.of(EncryptionSettings.class, Map.of("encryption", encryption, "encryptionShape", "array",
                "encryptionPublicKey", Optional.ofNullable(publicKey), "encryptionAllowRsa1024", allowRsa1024));
    }

    private static final UpstreamCall CALL = new UpstreamCall("张三丰", "13912345670", new ApiToken("t"), "c");

    @Test
    void offSendsNameAndMobileOnly() {
        RequestBodies bodies = new RequestBodies(config("off", null));

        var body = bodies.bodyFor(CALL);

        assertFalse(bodies.encrypting());
        assertEquals(2, body.size());
        assertEquals("13912345670", body.path("mobile").asText());
    }

    @Test
    void unknownAlgorithmFailsInsteadOfSendingPlaintext() {
        RequestBodies bodies = new RequestBodies(config("DES", null));

        assertTrue(bodies.encrypting());
        assertThrows(CryptoConfigurationException.class, () -> bodies.bodyFor(CALL));
    }

    @Test
    void encryptionWithoutAnyKeyFails() {
        RequestBodies bodies = new RequestBodies(config("SM4-GCM", null));

        CryptoConfigurationException e = assertThrows(CryptoConfigurationException.class, () -> bodies.bodyFor(CALL));
        assertTrue(e.getMessage().contains("no public key"));
    }

    @Test
    void anRsaKeyUnder2048BitsIsRefusedBeforeAnythingIsSentUnlessAllowed() {
        String rsa1024 = TestKeys.rsa(1024).publicKeyPem();
        String rsa2048 = TestKeys.Shared.RSA.publicKeyPem();

        CryptoConfigurationException configured = assertThrows(CryptoConfigurationException.class,
                () -> new RequestBodies(config("AES-256-CBC", rsa1024)).bodyFor(CALL));
        assertTrue(configured.getMessage().contains("RSA key of 1024 bits; at least 2048 are required"),
                configured.getMessage());
        UpstreamCall withKeyInSecret = CALL.withToken(new ApiToken("t", rsa1024, null));
        assertThrows(CryptoConfigurationException.class,
                () -> new RequestBodies(config("AES-256-CBC", null)).bodyFor(withKeyInSecret));

        assertTrue(new RequestBodies(config("AES-256-CBC", rsa1024, true)).bodyFor(CALL).has("encryption"));
        assertTrue(new RequestBodies(config("AES-256-CBC", null, true)).bodyFor(withKeyInSecret).has("encryption"));
        assertTrue(new RequestBodies(config("AES-256-CBC", rsa2048)).bodyFor(CALL).has("encryption"));
    }

    @Test
    void afterARestoreKeysAndIvsAreDrawnFromANewGenerator() {
        RequestBodies bodies = new RequestBodies(config("SM4-GCM", null));
        SecureRandom before = bodies.random();

        bodies.renewAfterRestore();

        assertNotSame(before, bodies.random(), "a generator copied from the snapshot is replaced");
    }

    @Test
    void thePrimingsBodiesAreInTheClear() {
        RequestBodies bodies = RequestBodies.plaintext();

        var body = bodies.bodyFor(CALL);

        assertFalse(bodies.encrypting());
        assertEquals(Map.of("name", "张三丰", "mobile", "13912345670"),
                Map.of("name", body.path("name").asText(), "mobile", body.path("mobile").asText()));
        assertEquals(2, body.size());
    }
}
