package cloud.phonematch.verify.crypto;

import java.util.Locale;
import java.util.Optional;

/** The two envelope suites the API accepts, by the name they carry on the wire. */
public enum Algorithm {
    /** Fields AES-256-CBC/PKCS#7; a 32-character key wrapped with RSA PKCS#1 v1.5. */
    AES_256_CBC("AES-256-CBC", 32, 16),
    /** Fields SM4-GCM with 16-byte tags; a 16-character key wrapped with SM2 (C1C3C2). */
    SM4_GCM("SM4-GCM", 16, 12);

    /** The setting value that turns encryption off. */
    public static final String OFF = "off";

    private final String wireName;
    private final int keyLength;
    private final int ivLength;

    Algorithm(String wireName, int keyLength, int ivLength) {
        this.wireName = wireName;
        this.keyLength = keyLength;
        this.ivLength = ivLength;
    }

    /** The value of the envelope's {@code algorithm} field, e.g. {@code "SM4-GCM"}. */
    public String wireName() {
        return wireName;
    }

    /** Symmetric key length in bytes. */
    int keyLength() {
        return keyLength;
    }

    /** IV length in bytes. */
    int ivLength() {
        return ivLength;
    }

    /**
     * Reads the {@code VERIFY_ENCRYPTION} setting: {@code "AES-256-CBC"} or {@code "SM4-GCM"}
     * (case-insensitive, surrounding blanks ignored) select a suite; {@code "off"}, an empty value or
     * {@code null} mean no encryption.
     *
     * @throws CryptoConfigurationException for any other value: a typo must not silently send
     *     plaintext when encryption was asked for. The message does not repeat the value.
     */
    public static Optional<Algorithm> fromSetting(String setting) {
        if (setting == null || setting.isBlank()) {
            return Optional.empty();
        }
        String value = setting.strip().toUpperCase(Locale.ROOT);
        if (value.equals(OFF.toUpperCase(Locale.ROOT))) {
            return Optional.empty();
        }
        for (Algorithm algorithm : values()) {
            if (algorithm.wireName.equals(value)) {
                return Optional.of(algorithm);
            }
        }
        throw new CryptoConfigurationException(
                "the encryption algorithm setting is not supported: use off, AES-256-CBC or SM4-GCM");
    }
}
