package cloud.phonematch.verify.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The documented wire structure, field by field, for both algorithms and both shapes. */
class EnvelopeShapeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAME = "欧阳娜娜";
    private static final String MOBILE = "13812345678";
    private static final TestKeys.KeyPairForTest rsa = TestKeys.Shared.RSA;
    private static final TestKeys.KeyPairForTest sm2 = TestKeys.Shared.SM2;

    static Stream<Arguments> combinations() {
        List<Arguments> cases = new ArrayList<>();
        for (Algorithm algorithm : Algorithm.values()) {
            for (EnvelopeShape shape : EnvelopeShape.values()) {
                cases.add(Arguments.of(algorithm, shape));
            }
        }
        return cases.stream();
    }

    private static EncryptedFields encrypt(Algorithm algorithm, EnvelopeShape shape) {
        String pem = (algorithm == Algorithm.AES_256_CBC ? rsa : sm2).publicKeyPem();
        return new FieldEncryptor(algorithm, ProviderPublicKey.parse(pem), shape, new SecureRandom()).encrypt(NAME, MOBILE);
    }

    @ParameterizedTest(name = "[{index}] {0}, {1}")
    @MethodSource("combinations")
    void theEnvelopeHasTheDocumentedStructure(Algorithm algorithm, EnvelopeShape shape) throws Exception {
        EncryptedFields fields = encrypt(algorithm, shape);
        JsonNode body = JSON.readTree(JSON.writeValueAsString(fields.writeInto(JSON.createObjectNode())));

        assertEquals(List.of("name", "mobile", "encryption"), fieldNames(body));
        JsonNode encryption = body.get("encryption");
        JsonNode envelope;
        if (shape == EnvelopeShape.ARRAY) {
            assertTrue(encryption.isArray(), "a JSON array");
            assertEquals(1, encryption.size(), "one envelope");
            envelope = encryption.get(0);
        } else {
            envelope = encryption;
        }
        assertTrue(envelope.isObject(), "an envelope object");
        assertEquals(List.of("algorithm", "ciphertext_blob", "encrypt_list", "iv", "tag_list"), fieldNames(envelope));
        assertEquals(algorithm.wireName(), envelope.get("algorithm").asText());
        assertEquals(JSON.readTree("[\"name\",\"mobile\"]"), envelope.get("encrypt_list"));

        byte[] iv = Base64.getDecoder().decode(envelope.get("iv").asText());
        byte[] blob = Base64.getDecoder().decode(envelope.get("ciphertext_blob").asText());
        byte[] name = Base64.getDecoder().decode(body.get("name").asText());
        byte[] mobile = Base64.getDecoder().decode(body.get("mobile").asText());
        int nameLength = NAME.getBytes(StandardCharsets.UTF_8).length;
        int mobileLength = MOBILE.getBytes(StandardCharsets.UTF_8).length;
        JsonNode tagList = envelope.get("tag_list");
        assertTrue(tagList.isArray());

        if (algorithm == Algorithm.AES_256_CBC) {
            assertEquals(16, iv.length);
            assertEquals(256, blob.length, "RSA-2048 PKCS#1 v1.5 block");
            assertEquals(0, tagList.size(), "tag_list empty");
            assertEquals(paddedLength(nameLength), name.length, "PKCS#7-padded name");
            assertEquals(paddedLength(mobileLength), mobile.length, "PKCS#7-padded mobile");
        } else {
            assertEquals(12, iv.length);
            assertEquals(1 + 64 + 32 + 16, blob.length, "04 || C1 (64) || C3 (32) || C2 (16)");
            assertEquals(0x04, blob[0], "uncompressed C1 with its 0x04 prefix");
            assertEquals(2, tagList.size(), "one tag per field");
            for (JsonNode tag : tagList) {
                assertEquals(16, Base64.getDecoder().decode(tag.asText()).length);
            }
            assertEquals(nameLength, name.length, "GCM ciphertext without the tag");
            assertEquals(mobileLength, mobile.length, "GCM ciphertext without the tag");
        }
    }

    @Test
    void writeIntoReplacesThePlaintextFieldsAndKeepsTheOthers() {
        ObjectNode body = JSON.createObjectNode().put("name", NAME).put("mobile", MOBILE).put("language", "zh");
        EncryptedFields fields = encrypt(Algorithm.SM4_GCM, EnvelopeShape.ARRAY);
        fields.writeInto(body);
        assertEquals(fields.name(), body.get("name").asText());
        assertEquals(fields.mobile(), body.get("mobile").asText());
        assertEquals("zh", body.get("language").asText());
        assertFalse(body.toString().contains(NAME));
        assertFalse(body.toString().contains(MOBILE));
    }

    @Test
    void theEnvelopeCannotBeChangedFromOutside() {
        EncryptedFields fields = encrypt(Algorithm.AES_256_CBC, EnvelopeShape.OBJECT);
        ((ObjectNode) fields.encryption()).put("algorithm", "tampered");
        ObjectNode body = fields.writeInto(JSON.createObjectNode());
        ((ObjectNode) body.get("encryption")).put("iv", "tampered");
        assertEquals("AES-256-CBC", fields.encryption().get("algorithm").asText());
        assertFalse(fields.encryption().get("iv").asText().equals("tampered"));
    }

    private static int paddedLength(int plaintextLength) {
        return (plaintextLength / 16 + 1) * 16;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
