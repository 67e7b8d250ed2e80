package cloud.phonematch.verify.crypto;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.SM2Engine;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The provider's side of the envelope, for tests: takes a request body the function sent and the
 * private key matching the public key it was configured with, and recovers the plaintext fields. It is
 * written apart from the production code (decrypt direction, its own parsing) so that a round trip
 * proves the wire format rather than echoing the encryptor.
 *
 * <p>Use from a WireMock-backed fake of the API:
 * <pre>
 * Map&lt;String, String&gt; fields = TestDecryptor.decrypt(request.getBodyAsString(), keys.privateKey());
 * fields.get("name"); fields.get("mobile");
 * </pre>
 *
 * <p>Strict, like a real server: {@code encryption} must be a one-element array or an object with
 * {@code algorithm}, {@code ciphertext_blob}, {@code encrypt_list}, {@code iv} and {@code tag_list};
 * base64 must be standard with padding; key and IV lengths must fit the algorithm; SM4-GCM needs one
 * 16-byte tag per listed field, in list order, and ciphertexts without the tag appended; SM2 blobs must
 * be {@code 04 || C1 || C3 || C2}. Any violation is an {@link IllegalArgumentException} whose message
 * says which rule broke; a fake API answers that with 400 {@code bad_request}.
 */
public final class TestDecryptor {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What an envelope held: the algorithm, the unwrapped symmetric key and IV, the plaintext fields. */
    public record Opened(String algorithm, byte[] symmetricKey, byte[] iv, Map<String, String> fields) {
        @Override
        public String toString() {
            return "Opened[" + algorithm + ", fields=" + fields.keySet() + "]";
        }
    }

    private TestDecryptor() {
    }

    /** Plaintext of each field in {@code encrypt_list}, in list order (e.g. {@code name}, {@code mobile}). */
    public static Map<String, String> decrypt(JsonNode requestBody, PrivateKeyMaterial key) {
        return open(requestBody, key).fields();
    }

    /** As {@link #decrypt(JsonNode, PrivateKeyMaterial)}, from the raw JSON text of a request body. */
    public static Map<String, String> decrypt(String requestBodyJson, PrivateKeyMaterial key) {
        try {
            return decrypt(JSON.readTree(requestBodyJson), key);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the request body is not JSON");
        }
    }

    /** Whether a request body carries an {@code encryption} value at all. */
    public static boolean isEncrypted(JsonNode requestBody) {
        JsonNode encryption = requestBody.get("encryption");
        return encryption != null && !encryption.isNull();
    }

    /** Opens the envelope and returns everything in it, symmetric key and IV included (for freshness tests). */
    public static Opened open(JsonNode requestBody, PrivateKeyMaterial key) {
        JsonNode envelope = envelope(requestBody);
        String algorithm = text(envelope, "algorithm");
        byte[] blob = base64(text(envelope, "ciphertext_blob"), "ciphertext_blob");
        byte[] iv = base64(text(envelope, "iv"), "iv");
        List<String> encryptList = strings(envelope, "encrypt_list");
        List<String> tagList = strings(envelope, "tag_list");
        if (encryptList.isEmpty()) {
            throw new IllegalArgumentException("encrypt_list is empty");
        }
        return switch (algorithm) {
            case "AES-256-CBC" -> openAes(requestBody, key, blob, iv, encryptList, tagList);
            case "SM4-GCM" -> openSm4(requestBody, key, blob, iv, encryptList, tagList);
            default -> throw new IllegalArgumentException("unsupported algorithm " + algorithm);
        };
    }

    private static Opened openAes(JsonNode body, PrivateKeyMaterial key, byte[] blob, byte[] iv,
            List<String> encryptList, List<String> tagList) {
        if (!key.isRsa()) {
            throw new IllegalArgumentException("AES-256-CBC envelopes need the RSA private key");
        }
        if (iv.length != 16) {
            throw new IllegalArgumentException("AES-256-CBC iv must be 16 bytes, was " + iv.length);
        }
        if (!tagList.isEmpty()) {
            throw new IllegalArgumentException("AES-256-CBC tag_list must be empty");
        }
        byte[] symmetricKey;
        try {
            Cipher rsa = Cipher.getInstance("RSA/ECB/PKCS1Padding");
            rsa.init(Cipher.DECRYPT_MODE, key.rsaKey());
            symmetricKey = rsa.doFinal(blob);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("ciphertext_blob does not decrypt with the RSA private key");
        }
        if (symmetricKey.length != 32) {
            throw new IllegalArgumentException("AES-256-CBC key must be 32 bytes, was " + symmetricKey.length);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : encryptList) {
            byte[] ciphertext = base64(text(body, field), field);
            try {
                Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
                aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(symmetricKey, "AES"), new IvParameterSpec(iv));
                fields.put(field, utf8(aes.doFinal(ciphertext), field));
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException(field + " does not decrypt with AES-256-CBC");
            }
        }
        return new Opened("AES-256-CBC", symmetricKey, iv, Collections.unmodifiableMap(fields));
    }

    private static Opened openSm4(JsonNode body, PrivateKeyMaterial key, byte[] blob, byte[] iv,
            List<String> encryptList, List<String> tagList) {
        if (!key.isSm2()) {
            throw new IllegalArgumentException("SM4-GCM envelopes need the SM2 private key");
        }
        if (iv.length != 12) {
            throw new IllegalArgumentException("SM4-GCM iv must be 12 bytes, was " + iv.length);
        }
        if (tagList.size() != encryptList.size()) {
            throw new IllegalArgumentException("tag_list has " + tagList.size() + " tags for "
                    + encryptList.size() + " fields");
        }
        // C1 as an uncompressed point (04 || x || y), then C3 (32-byte SM3 hash), then C2.
        if (blob.length < 1 + 64 + 32 + 1 || blob[0] != 0x04) {
            throw new IllegalArgumentException("ciphertext_blob is not an SM2 C1C3C2 ciphertext with a 04-prefixed C1");
        }
        byte[] symmetricKey;
        try {
            SM2Engine sm2 = new SM2Engine(SM2Engine.Mode.C1C3C2);
            sm2.init(false, key.sm2Key());
            symmetricKey = sm2.processBlock(blob, 0, blob.length);
        } catch (InvalidCipherTextException | RuntimeException e) {
            throw new IllegalArgumentException("ciphertext_blob does not decrypt with the SM2 private key");
        }
        if (symmetricKey.length != 16) {
            throw new IllegalArgumentException("SM4 key must be 16 bytes, was " + symmetricKey.length);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < encryptList.size(); i++) {
            String field = encryptList.get(i);
            byte[] ciphertext = base64(text(body, field), field);
            byte[] tag = base64(tagList.get(i), "tag_list[" + i + "]");
            if (tag.length != 16) {
                throw new IllegalArgumentException("tag_list[" + i + "] must be 16 bytes, was " + tag.length);
            }
            byte[] sealed = new byte[ciphertext.length + tag.length];
            System.arraycopy(ciphertext, 0, sealed, 0, ciphertext.length);
            System.arraycopy(tag, 0, sealed, ciphertext.length, tag.length);
            try {
                GCMModeCipher gcm = GCMBlockCipher.newInstance(new SM4Engine());
                gcm.init(false, new AEADParameters(new KeyParameter(symmetricKey), 128, iv));
                byte[] plaintext = new byte[gcm.getOutputSize(sealed.length)];
                int length = gcm.processBytes(sealed, 0, sealed.length, plaintext, 0);
                length += gcm.doFinal(plaintext, length);
                fields.put(field, utf8(Arrays.copyOf(plaintext, length), field));
            } catch (InvalidCipherTextException e) {
                throw new IllegalArgumentException(field + " does not verify against tag_list[" + i + "] with SM4-GCM");
            }
        }
        return new Opened("SM4-GCM", symmetricKey, iv, Collections.unmodifiableMap(fields));
    }

    private static JsonNode envelope(JsonNode body) {
        JsonNode encryption = body == null ? null : body.get("encryption");
        if (encryption == null || encryption.isNull()) {
            throw new IllegalArgumentException("the request has no encryption envelope");
        }
        if (encryption.isArray()) {
            if (encryption.size() != 1 || !encryption.get(0).isObject()) {
                throw new IllegalArgumentException("encryption must be an array of exactly one envelope object");
            }
            return encryption.get(0);
        }
        if (!encryption.isObject()) {
            throw new IllegalArgumentException("encryption must be an object or an array of one object");
        }
        return encryption;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return value.asText();
    }

    private static List<String> strings(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isArray()) {
            throw new IllegalArgumentException(field + " must be an array");
        }
        List<String> strings = new ArrayList<>();
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw new IllegalArgumentException(field + " must hold strings only");
            }
            strings.add(element.asText());
        }
        return strings;
    }

    private static byte[] base64(String text, String field) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " is not standard base64");
        }
    }

    private static String utf8(byte[] bytes, String field) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(field + " does not decrypt to UTF-8 text");
        }
    }
}
