package cloud.phonematch.verify.crypto;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * The encryption of name and number in the API's {@code encryption} envelope.
 * <p>
 * Under the prefix {@code verify}, as every setting of the function: SmallRye maps each to an environment variable
 * by upper-casing and replacing dots and dashes with underscores ({@code verify.api-base-url} is
 * {@code VERIFY_API_BASE_URL}).
 */
@ConfigMapping(prefix = "verify")
public interface EncryptionSettings {
    /**
     * {@code off}, {@code AES-256-CBC} or {@code SM4-GCM}: send name and mobile encrypted with the API's
     * {@code encryption} envelope.
     */
    @WithDefault("off")
    String encryption();

    /**
     * The provider's public key (PEM; RSA for AES-256-CBC, SM2 for SM4-GCM). When absent, the token secret's
     * JSON field {@code public_key} is used.
     */
    Optional<String> encryptionPublicKey();

    /** {@code array} (the API reference's {@code object[]}) or {@code object} (a single envelope). */
    @WithDefault("array")
    String encryptionShape();

    /**
     * Accepts an RSA public key of 1024 bits (under 2048) for AES-256-CBC, with a warning at start; without it such a
     * key is refused at start, since 1024-bit RSA is below every current recommendation (NIST SP 800-131A).
     */
    @WithName("encryption-allow-rsa-1024")
    @WithDefault("false")
    boolean encryptionAllowRsa1024();
}
