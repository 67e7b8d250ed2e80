package cloud.phonematch.verify.crypto;

/**
 * Which RSA key sizes the provider's public key may have. 2048 bits and more by default: 1024-bit RSA is below every
 * current recommendation (NIST SP 800-131A), so a key that short is taken only when the operator said so
 * ({@code VERIFY_ENCRYPTION_ALLOW_RSA_1024=true}); nothing under 1024 bits is ever taken.
 */
public enum RsaKeySizes {
    AT_LEAST_2048(2048),
    ALLOW_1024(1024);

    private final int minimumBits;

    RsaKeySizes(int minimumBits) {
        this.minimumBits = minimumBits;
    }

    /** The sizes the setting {@code VERIFY_ENCRYPTION_ALLOW_RSA_1024} chooses. */
    public static RsaKeySizes fromSetting(boolean allowRsa1024) {
        return allowRsa1024 ? ALLOW_1024 : AT_LEAST_2048;
    }

    public int minimumBits() {
        return minimumBits;
    }

    /** Whether a key of this size is accepted only because the operator allowed 1024-bit keys: worth a warning. */
    public boolean weakButAllowed(ProviderPublicKey key) {
        return key.isRsa() && key.bits() < AT_LEAST_2048.minimumBits && key.bits() >= minimumBits;
    }

    /** What the refusal of a key of this size may add: the setting that would accept it, when one would. */
    String hintFor(int bits) {
        return this == AT_LEAST_2048 && bits >= ALLOW_1024.minimumBits
                ? " (VERIFY_ENCRYPTION_ALLOW_RSA_1024=true accepts a 1024-bit key)"
                : "";
    }
}
