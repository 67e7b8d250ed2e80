package cloud.phonematch.verify.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Encrypt with keys generated here, decrypt on the provider's side with {@link TestDecryptor}. */
class FieldEncryptorRoundTripTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestKeys.KeyPairForTest rsa = TestKeys.Shared.RSA;
    private static final TestKeys.KeyPairForTest sm2 = TestKeys.Shared.SM2;

    /** Every accepted text form of each key, with both envelope shapes. */
    static Stream<Arguments> configurations() {
        List<Arguments> cases = new ArrayList<>();
        for (EnvelopeShape shape : EnvelopeShape.values()) {
            for (String form : List.of("PEM", "base64 DER", "base64 of PEM", "PEM with literal \\n")) {
                cases.add(Arguments.of(Algorithm.AES_256_CBC, form, shape));
                cases.add(Arguments.of(Algorithm.SM4_GCM, form, shape));
            }
            cases.add(Arguments.of(Algorithm.AES_256_CBC, "PKCS#1 PEM", shape));
        }
        return cases.stream();
    }

    private static String keyText(Algorithm algorithm, String form) {
        TestKeys.KeyPairForTest keys = algorithm == Algorithm.AES_256_CBC ? rsa : sm2;
        return switch (form) {
            case "PEM" -> keys.publicKeyPem();
            case "PKCS#1 PEM" -> keys.publicKeyPkcs1Pem();
            case "base64 DER" -> keys.publicKeyBase64();
            case "base64 of PEM" -> Base64.getEncoder().encodeToString(keys.publicKeyPem().getBytes(StandardCharsets.US_ASCII));
            case "PEM with literal \\n" -> keys.publicKeyPem().replace("\n", "\\n");
            default -> throw new IllegalArgumentException(form);
        };
    }

    @ParameterizedTest(name = "[{index}] {0}, key as {1}, {2}")
    @MethodSource("configurations")
    void theProviderRecoversNameAndMobile(Algorithm algorithm, String form, EnvelopeShape shape) {
        ProviderPublicKey key = ProviderPublicKey.parse(keyText(algorithm, form));
        FieldEncryptor encryptor = new FieldEncryptor(algorithm, key, shape, new SecureRandom());
        PrivateKeyMaterial privateKey = (algorithm == Algorithm.AES_256_CBC ? rsa : sm2).privateKey();

        for (String[] pair : List.of(
                new String[] {"张三", "13812345678"},
                new String[] {"欧阳娜娜", "19912345678"},
                new String[] {"阿卜杜热合曼·买买提", "17712345678"},
                new String[] {"王", "13012345678"},
                new String[] {"ABCDEFGHIJKLMNOP", "15012345678"}, // exactly one AES block: a full padding block follows
                new String[] {"ABCDEFGHIJKLMNO", "15012345678"})) {
            ObjectNode body = JSON.createObjectNode().put("name", pair[0]).put("mobile", pair[1]);
            encryptor.encrypt(pair[0], pair[1]).writeInto(body);

            Map<String, String> fields = TestDecryptor.decrypt(body.toString(), privateKey);
            assertEquals(Map.of("name", pair[0], "mobile", pair[1]), fields);
            assertEquals(List.of("name", "mobile"), List.copyOf(fields.keySet()), "encrypt_list order");
        }
    }

    @Test
    void sm4GcmTagsAreListedInEncryptListOrder() {
        FieldEncryptor encryptor = new FieldEncryptor(Algorithm.SM4_GCM, ProviderPublicKey.parse(sm2.publicKeyPem()),
                EnvelopeShape.ARRAY, new SecureRandom());
        ObjectNode body = encryptor.encrypt("李雷", "13812345678").writeInto(JSON.createObjectNode());
        assertEquals("李雷", TestDecryptor.decrypt(body, sm2.privateKey()).get("name"));

        ArrayNode tags = (ArrayNode) body.get("encryption").get(0).get("tag_list");
        JsonNode first = tags.get(0);
        tags.set(0, tags.get(1));
        tags.set(1, first);
        assertThrows(IllegalArgumentException.class, () -> TestDecryptor.decrypt(body, sm2.privateKey()),
                "swapped tags must not verify");
    }

    @Test
    void aWrongPrivateKeyDoesNotOpenTheEnvelope() {
        TestKeys.KeyPairForTest otherSm2 = TestKeys.sm2();
        FieldEncryptor encryptor = new FieldEncryptor(Algorithm.SM4_GCM, ProviderPublicKey.parse(sm2.publicKeyPem()),
                EnvelopeShape.OBJECT, new SecureRandom());
        ObjectNode body = encryptor.encrypt("韩梅梅", "13912345678").writeInto(JSON.createObjectNode());
        assertThrows(IllegalArgumentException.class, () -> TestDecryptor.decrypt(body, otherSm2.privateKey()));
        assertThrows(IllegalArgumentException.class, () -> TestDecryptor.decrypt(body, rsa.privateKey()));
    }
}
