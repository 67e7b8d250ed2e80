package cloud.phonematch.verify.crypto;

import java.security.SecureRandom;

/** Per-request symmetric keys and IVs, drawn from the caller's {@link SecureRandom}. */
final class FreshSecrets {
    /**
     * The provider's reference clients (Tencent's faceid-api-crypto SDKs for Java and Go) draw their
     * symmetric keys as characters of this alphabet and send the characters' ASCII bytes, for both
     * suites; the provider's side is therefore known to accept such keys. With 62 symbols a 32-character
     * AES key carries about 190 bits of entropy and a 16-character SM4 key about 95 bits.
     */
    static final String KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private FreshSecrets() {
    }

    /** A new key of {@link Algorithm#keyLength()} ASCII letters and digits; the caller zeroes it after use. */
    static byte[] newKey(Algorithm algorithm, SecureRandom random) {
        byte[] key = new byte[algorithm.keyLength()];
        for (int i = 0; i < key.length; i++) {
            // nextInt(bound) rejects out-of-range draws, so every symbol is equally likely
            key[i] = (byte) KEY_ALPHABET.charAt(random.nextInt(KEY_ALPHABET.length()));
        }
        return key;
    }

    /** A new IV of {@link Algorithm#ivLength()} random bytes. */
    static byte[] newIv(Algorithm algorithm, SecureRandom random) {
        byte[] iv = new byte[algorithm.ivLength()];
        random.nextBytes(iv);
        return iv;
    }
}
