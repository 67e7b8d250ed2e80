package cloud.phonematch.verify.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One request's encrypted fields: the base64 ciphertexts of name and mobile, and the
 * {@code encryption} value (a one-element array or the bare envelope object, per
 * {@link EnvelopeShape}) that lets the provider decrypt them.
 *
 * <p>{@link #toString()} shows none of it. The JSON value is copied in and out, so no caller can
 * change another's view of it.
 */
public record EncryptedFields(String name, String mobile, JsonNode encryption) {

    public EncryptedFields {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mobile, "mobile");
        encryption = Objects.requireNonNull(encryption, "encryption").deepCopy();
    }

    /** A copy of the {@code encryption} value. */
    @Override
    public JsonNode encryption() {
        return encryption.deepCopy();
    }

    /**
     * Sets {@code name}, {@code mobile} and {@code encryption} on a request body, replacing any
     * plaintext values there, and returns the body.
     */
    public ObjectNode writeInto(ObjectNode body) {
        body.put("name", name);
        body.put("mobile", mobile);
        body.set("encryption", encryption.deepCopy());
        return body;
    }

    @Override
    public String toString() {
        return "EncryptedFields[name=<encrypted>, mobile=<encrypted>, encryption=<envelope>]";
    }
}
