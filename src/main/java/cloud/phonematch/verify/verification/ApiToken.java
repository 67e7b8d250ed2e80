package cloud.phonematch.verify.verification;

import java.util.Objects;
import java.util.Optional;

/**
 * The API's bearer token, and the provider's encryption public key when the same secret holds one. Never
 * printed: {@link #toString()} shows only that it is there.
 */
public final class ApiToken {
    private final String value;
    private final String encryptionPublicKey;

    public ApiToken(String value) {
        this(value, null);
    }

    public ApiToken(String value, String encryptionPublicKey) {
        this.value = Objects.requireNonNull(value);
        this.encryptionPublicKey = encryptionPublicKey;
    }

    public String authorizationHeader() {
        return "Bearer " + value;
    }

    /** The secret's {@code public_key} field, if it has one. */
    public Optional<String> encryptionPublicKey() {
        return Optional.ofNullable(encryptionPublicKey);
    }

    /** Same token: a rotation is a change of the token itself. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ApiToken other && other.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "ApiToken[<redacted>]";
    }
}
