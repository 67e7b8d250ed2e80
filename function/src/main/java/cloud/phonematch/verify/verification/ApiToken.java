package cloud.phonematch.verify.verification;

import java.util.Objects;
import java.util.Optional;

/**
 * The API's bearer token, with what else the same secret holds: the provider's encryption public key and the hash
 * key of the shared records. Never printed: {@link #toString()} shows only that it is there.
 */
public final class ApiToken {
    private final String value;
    private final String encryptionPublicKey;
    private final String hashKey;

    public ApiToken(String value) {
        this(value, null, null);
    }

    public ApiToken(String value, String encryptionPublicKey, String hashKey) {
        this.value = Objects.requireNonNull(value);
        this.encryptionPublicKey = encryptionPublicKey;
        this.hashKey = hashKey;
    }

    public String authorizationHeader() {
        return "Bearer " + value;
    }

    /** Whether the token stands anywhere in this text: how text from outside is checked for an echo of it. */
    public boolean appearsIn(String text) {
        return text != null && text.contains(value);
    }

    /** The secret's {@code public_key} field, if it has one. */
    public Optional<String> encryptionPublicKey() {
        return Optional.ofNullable(encryptionPublicKey);
    }

    /** The secret's hash-key field ({@code VERIFY_HASH_KEY_FIELD}), if it has one: the key of the records' HMACs. */
    public Optional<String> hashKey() {
        return Optional.ofNullable(hashKey);
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
