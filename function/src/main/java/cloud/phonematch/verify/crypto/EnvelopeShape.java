package cloud.phonematch.verify.crypto;

import java.util.Locale;

/**
 * How the {@code encryption} value is sent. The API's reference documents it as an array of
 * envelope objects ({@code object[]}); Tencent Cloud's own APIs take the bare object.
 */
public enum EnvelopeShape {
    /** {@code "encryption": [{...}]} (the default). */
    ARRAY,
    /** {@code "encryption": {...}}. */
    OBJECT;

    /**
     * Reads the {@code VERIFY_ENCRYPTION_SHAPE} setting: {@code "array"} or {@code "object"},
     * case-insensitive; an empty value or {@code null} mean {@link #ARRAY}.
     *
     * @throws CryptoConfigurationException for any other value
     */
    public static EnvelopeShape fromSetting(String setting) {
        if (setting == null || setting.isBlank()) {
            return ARRAY;
        }
        return switch (setting.strip().toLowerCase(Locale.ROOT)) {
            case "array" -> ARRAY;
            case "object" -> OBJECT;
            default -> throw new CryptoConfigurationException(
                    "the encryption envelope shape setting is not supported: use array or object");
        };
    }
}
