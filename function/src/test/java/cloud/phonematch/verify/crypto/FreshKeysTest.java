package cloud.phonematch.verify.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A fresh key and IV on every request, and no randomness but the supplied {@link SecureRandom}. */
class FreshKeysTest {
    private static final int REQUESTS = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestKeys.KeyPairForTest rsa = TestKeys.Shared.RSA;
    private static final TestKeys.KeyPairForTest sm2 = TestKeys.Shared.SM2;

    private static TestKeys.KeyPairForTest keysFor(Algorithm algorithm) {
        return algorithm == Algorithm.AES_256_CBC ? rsa : sm2;
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void everyRequestHasItsOwnKeyIvAndCiphertexts(Algorithm algorithm) {
        TestKeys.KeyPairForTest keys = keysFor(algorithm);
        FieldEncryptor encryptor = new FieldEncryptor(algorithm, ProviderPublicKey.parse(keys.publicKeyPem()),
                EnvelopeShape.ARRAY, new SecureRandom());
        HexFormat hex = HexFormat.of();
        Set<String> symmetricKeys = new HashSet<>();
        Set<String> ivs = new HashSet<>();
        Set<String> blobs = new HashSet<>();
        Set<String> nameCiphertexts = new HashSet<>();
        Set<String> mobileCiphertexts = new HashSet<>();

        for (int i = 0; i < REQUESTS; i++) {
            EncryptedFields fields = encryptor.encrypt("张三", "13812345678"); // the same input every time
            JsonNode body = fields.writeInto(JSON.createObjectNode());
            TestDecryptor.Opened opened = TestDecryptor.open(body, keys.privateKey());

            assertEquals("张三", opened.fields().get("name"));
            assertEquals(algorithm.keyLength(), opened.symmetricKey().length);
            assertTrue(isAlphabetKey(opened.symmetricKey()), "key drawn from [A-Za-z0-9]");
            symmetricKeys.add(hex.formatHex(opened.symmetricKey()));
            ivs.add(hex.formatHex(opened.iv()));
            blobs.add(body.get("encryption").get(0).get("ciphertext_blob").asText());
            nameCiphertexts.add(fields.name());
            mobileCiphertexts.add(fields.mobile());
        }

        assertEquals(REQUESTS, symmetricKeys.size(), "distinct symmetric keys");
        assertEquals(REQUESTS, ivs.size(), "distinct IVs");
        assertEquals(REQUESTS, blobs.size(), "distinct wrapped keys");
        assertEquals(REQUESTS, nameCiphertexts.size(), "distinct name ciphertexts");
        assertEquals(REQUESTS, mobileCiphertexts.size(), "distinct mobile ciphertexts");
    }

    /**
     * Two encryptors given identically seeded deterministic generators produce identical envelopes,
     * RSA padding and SM2's ephemeral key included: so every random value comes from the supplied
     * generator, none from java.util.Random or a hidden default.
     */
    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void allRandomnessComesFromTheSuppliedGenerator(Algorithm algorithm) throws NoSuchAlgorithmException {
        ProviderPublicKey key = ProviderPublicKey.parse(keysFor(algorithm).publicKeyPem());
        EncryptedFields first = new FieldEncryptor(algorithm, key, EnvelopeShape.ARRAY, seeded()).encrypt("李四", "13912345678");
        EncryptedFields second = new FieldEncryptor(algorithm, key, EnvelopeShape.ARRAY, seeded()).encrypt("李四", "13912345678");
        EncryptedFields other = new FieldEncryptor(algorithm, key, EnvelopeShape.ARRAY, new SecureRandom()).encrypt("李四", "13912345678");

        assertEquals(first.encryption(), second.encryption());
        assertEquals(first.name(), second.name());
        assertEquals(first.mobile(), second.mobile());
        assertNotEquals(first.encryption(), other.encryption());
    }

    private static boolean isAlphabetKey(byte[] key) {
        for (byte b : key) {
            if (FreshSecrets.KEY_ALPHABET.indexOf(b) < 0) {
                return false;
            }
        }
        return true;
    }

    /** SUN's SHA1PRNG seeded before its first use is deterministic. Test use only. */
    private static SecureRandom seeded() throws NoSuchAlgorithmException {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        return random;
    }
}
