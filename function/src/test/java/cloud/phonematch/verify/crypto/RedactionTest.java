package cloud.phonematch.verify.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code toString()} and exception messages of the package reveal no key, IV, plaintext or ciphertext. */
class RedactionTest {
    private static final TestKeys.KeyPairForTest rsa = TestKeys.Shared.RSA;
    private static final TestKeys.KeyPairForTest sm2 = TestKeys.Shared.SM2;

    @Test
    void encryptedFieldsShowNothing() {
        for (Algorithm algorithm : Algorithm.values()) {
            TestKeys.KeyPairForTest keys = algorithm == Algorithm.AES_256_CBC ? rsa : sm2;
            FieldEncryptor encryptor = new FieldEncryptor(algorithm, ProviderPublicKey.parse(keys.publicKeyPem()),
                    EnvelopeShape.ARRAY, new SecureRandom());
            EncryptedFields fields = encryptor.encrypt("张三", "13812345678");

            String text = fields.toString();
            assertEquals("EncryptedFields[name=<encrypted>, mobile=<encrypted>, encryption=<envelope>]", text);
            for (String secret : secretsOf(fields)) {
                assertFalse(text.contains(secret), "toString shows a value of the envelope");
            }
            String encryptorText = encryptor.toString();
            assertEquals("FieldEncryptor[" + algorithm.wireName() + ", " + ProviderPublicKey.parse(keys.publicKeyPem())
                    + ", ARRAY]", encryptorText);
        }
    }

    @Test
    void providerPublicKeyShowsTypeAndSizeOnly() {
        ProviderPublicKey rsaKey = ProviderPublicKey.parse(rsa.publicKeyPem());
        ProviderPublicKey sm2Key = ProviderPublicKey.parse(sm2.publicKeyPem());
        assertEquals("ProviderPublicKey[RSA, 2048 bits]", rsaKey.toString());
        assertEquals("ProviderPublicKey[SM2, 256 bits]", sm2Key.toString());
        ConfigurationErrorsTest.assertQuotesNothingOf(rsa.publicKeyPem(), rsaKey.toString());
        ConfigurationErrorsTest.assertQuotesNothingOf(sm2.publicKeyPem(), sm2Key.toString());
    }

    @Test
    void testKeyMaterialShowsTypeOnly() {
        assertEquals("PrivateKeyMaterial[RSA]", rsa.privateKey().toString());
        assertEquals("KeyPairForTest[PrivateKeyMaterial[SM2]]", sm2.toString());
    }

    @Test
    void sealedShowsLengthsOnly() {
        Ciphers.Sealed sealed = Ciphers.sm4GcmEncrypt(new byte[16], new byte[12], null, "张三".getBytes(StandardCharsets.UTF_8));
        assertEquals("Sealed[ciphertext=<6 bytes>, tag=<16 bytes>]", sealed.toString());
    }

    @Test
    void nullArgumentsNameTheParameterOnly() {
        FieldEncryptor encryptor = new FieldEncryptor(Algorithm.SM4_GCM, ProviderPublicKey.parse(sm2.publicKeyPem()),
                EnvelopeShape.ARRAY, new SecureRandom());
        NullPointerException name = assertThrows(NullPointerException.class, () -> encryptor.encrypt(null, "13812345678"));
        assertEquals("normalizedName", name.getMessage());
        NullPointerException mobile = assertThrows(NullPointerException.class, () -> encryptor.encrypt("张三", null));
        assertEquals("normalizedMobile", mobile.getMessage());
    }

    /** Every string value in the encrypted fields and envelope, besides the fixed vocabulary. */
    private static List<String> secretsOf(EncryptedFields fields) {
        List<String> values = new ArrayList<>(List.of(fields.name(), fields.mobile(), "张三", "13812345678"));
        JsonNode envelope = fields.encryption().get(0);
        values.add(envelope.get("ciphertext_blob").asText());
        values.add(envelope.get("iv").asText());
        envelope.get("tag_list").forEach(tag -> values.add(tag.asText()));
        return values;
    }
}
