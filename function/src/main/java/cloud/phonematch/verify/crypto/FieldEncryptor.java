package cloud.phonematch.verify.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Encrypts a request's name and mobile into the API's {@code encryption} envelope.
 *
 * <p>Per call to {@link #encrypt}: a fresh symmetric key and a fresh IV from the {@link SecureRandom}
 * given at construction; name and mobile (UTF-8) encrypted under that one key and IV; the key wrapped
 * with the provider's public key. Wire format, as the provider's reference clients produce it:
 * <pre>
 * "encryption": [{                      (or the bare object for EnvelopeShape.OBJECT)
 *   "algorithm": "AES-256-CBC" | "SM4-GCM",
 *   "ciphertext_blob": base64(wrapped key),
 *   "encrypt_list": ["name", "mobile"],
 *   "iv": base64(iv),
 *   "tag_list": []  (AES-256-CBC) | [base64(name tag), base64(mobile tag)]  (SM4-GCM)
 * }]
 * </pre>
 * <ul>
 *   <li>AES-256-CBC: key = 32 ASCII letters/digits, IV 16 bytes, PKCS#7 padding, key wrapped with
 *       RSA PKCS#1 v1.5.</li>
 *   <li>SM4-GCM: key = 16 ASCII letters/digits, IV 12 bytes, no associated data, 16-byte tags sent in
 *       {@code tag_list} and not appended to the ciphertexts, key wrapped with SM2 as
 *       {@code 04 || C1 || C3 || C2}.</li>
 * </ul>
 * The key alphabet follows the provider's reference clients (see {@link FreshSecrets#KEY_ALPHABET}).
 * Key, IV, plaintext bytes and intermediate ciphertext buffers are zeroed before {@code encrypt}
 * returns or throws.
 *
 * <p>Thread-safe if the {@link SecureRandom} is (the JDK's are). Build it at run time, not in a
 * static initializer or before a SnapStart snapshot.
 */
public final class FieldEncryptor {
    static final String NAME = "name";
    static final String MOBILE = "mobile";

    private final Algorithm algorithm;
    private final ProviderPublicKey key;
    private final EnvelopeShape shape;
    private final SecureRandom random;

    /**
     * @throws CryptoConfigurationException if the key type does not fit the algorithm: AES-256-CBC
     *     needs an RSA key, SM4-GCM an SM2 key
     */
    public FieldEncryptor(Algorithm algorithm, ProviderPublicKey key, EnvelopeShape shape, SecureRandom random) {
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.key = Objects.requireNonNull(key, "key");
        this.shape = Objects.requireNonNull(shape, "shape");
        this.random = Objects.requireNonNull(random, "random");
        boolean fits = switch (algorithm) {
            case AES_256_CBC -> key.isRsa();
            case SM4_GCM -> key.isSm2();
        };
        if (!fits) {
            throw new CryptoConfigurationException(algorithm.wireName() + " needs the API provider's "
                    + (algorithm == Algorithm.AES_256_CBC ? "RSA" : "SM2") + " public key, but the configured key is an "
                    + key.typeName() + " key");
        }
    }

    public Algorithm algorithm() {
        return algorithm;
    }

    public EnvelopeShape shape() {
        return shape;
    }

    /**
     * Encrypts the normalized name and mobile under a fresh key and IV.
     *
     * @throws CryptoConfigurationException if the JDK lacks a cipher the envelope needs (a broken
     *     runtime or native image); the message names the step, never the data
     */
    public EncryptedFields encrypt(String normalizedName, String normalizedMobile) {
        Objects.requireNonNull(normalizedName, "normalizedName");
        Objects.requireNonNull(normalizedMobile, "normalizedMobile");
        byte[] symmetricKey = FreshSecrets.newKey(algorithm, random);
        byte[] iv = FreshSecrets.newIv(algorithm, random);
        byte[] name = normalizedName.getBytes(StandardCharsets.UTF_8);
        byte[] mobile = normalizedMobile.getBytes(StandardCharsets.UTF_8);
        try {
            return switch (algorithm) {
                case AES_256_CBC -> aes256Cbc(symmetricKey, iv, name, mobile);
                case SM4_GCM -> sm4Gcm(symmetricKey, iv, name, mobile);
            };
        } catch (GeneralSecurityException e) {
            throw new CryptoConfigurationException(
                    algorithm.wireName() + " encryption is unavailable in this runtime (" + e.getClass().getSimpleName() + ")");
        } finally {
            Arrays.fill(symmetricKey, (byte) 0);
            Arrays.fill(iv, (byte) 0);
            Arrays.fill(name, (byte) 0);
            Arrays.fill(mobile, (byte) 0);
        }
    }

    private EncryptedFields aes256Cbc(byte[] symmetricKey, byte[] iv, byte[] name, byte[] mobile)
            throws GeneralSecurityException {
        String nameCiphertext = base64AndClear(Ciphers.aes256CbcEncrypt(symmetricKey, iv, name));
        String mobileCiphertext = base64AndClear(Ciphers.aes256CbcEncrypt(symmetricKey, iv, mobile));
        String blob = base64AndClear(Ciphers.rsaPkcs1v15Wrap(key.rsaKey(), symmetricKey, random));
        return assemble(nameCiphertext, mobileCiphertext, blob, iv, List.of());
    }

    private EncryptedFields sm4Gcm(byte[] symmetricKey, byte[] iv, byte[] name, byte[] mobile) {
        List<String> tags = new ArrayList<>(2);
        Ciphers.Sealed sealedName = Ciphers.sm4GcmEncrypt(symmetricKey, iv, null, name);
        String nameCiphertext = base64AndClear(sealedName.ciphertext());
        tags.add(base64AndClear(sealedName.tag()));
        Ciphers.Sealed sealedMobile = Ciphers.sm4GcmEncrypt(symmetricKey, iv, null, mobile);
        String mobileCiphertext = base64AndClear(sealedMobile.ciphertext());
        tags.add(base64AndClear(sealedMobile.tag()));
        String blob = base64AndClear(Ciphers.sm2Wrap(key.sm2Key(), symmetricKey, random));
        return assemble(nameCiphertext, mobileCiphertext, blob, iv, tags);
    }

    private EncryptedFields assemble(String name, String mobile, String blob, byte[] iv, List<String> tags) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode envelope = json.objectNode();
        envelope.put("algorithm", algorithm.wireName());
        envelope.put("ciphertext_blob", blob);
        envelope.putArray("encrypt_list").add(NAME).add(MOBILE);
        envelope.put("iv", Base64.getEncoder().encodeToString(iv));
        ArrayNode tagList = envelope.putArray("tag_list");
        tags.forEach(tagList::add);
        JsonNode encryption = shape == EnvelopeShape.ARRAY ? json.arrayNode().add(envelope) : envelope;
        return new EncryptedFields(name, mobile, encryption);
    }

    private static String base64AndClear(byte[] bytes) {
        String text = Base64.getEncoder().encodeToString(bytes);
        Arrays.fill(bytes, (byte) 0);
        return text;
    }

    @Override
    public String toString() {
        return "FieldEncryptor[" + algorithm.wireName() + ", " + key + ", " + shape + "]";
    }
}
