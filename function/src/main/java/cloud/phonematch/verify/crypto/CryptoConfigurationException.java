package cloud.phonematch.verify.crypto;

import java.io.Serial;

/**
 * The encryption settings cannot work: an unsupported algorithm, a public key that is not one, or a
 * key that does not fit the algorithm. The caller maps it to the {@code CONFIGURATION} error.
 *
 * <p>The message says what is wrong in words. It never carries key bytes, PEM text, plaintext or
 * ciphertext, and the exception carries no cause, because the causes thrown by parsers and ciphers
 * may quote the bytes they choked on.
 */
public final class CryptoConfigurationException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    public CryptoConfigurationException(String message) {
        super(message);
    }
}
