package cloud.phonematch.verify.secrets;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.output.Json;

/**
 * Reads the token out of a SecretString: either the token itself, or a JSON object holding it under a
 * configurable field (the shape the Secrets Manager console produces for key/value secrets).
 */
public final class TokenSecretFormat {
    private TokenSecretFormat() {
    }

    /** The secret's {@code public_key} field, when the secret is a JSON object that has one. */
    public static Optional<String> publicKey(String secretString) {
        if (secretString == null || !secretString.strip().startsWith("{")) {
            return Optional.empty();
        }
        try {
            JsonNode value = Json.MAPPER.readTree(secretString.strip()).get("public_key");
            return value != null && value.isTextual() && !value.asText().isBlank() ? Optional.of(value.asText())
                    : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    public static Optional<String> extract(String secretString, String field) {
        if (secretString == null || secretString.isBlank()) {
            return Optional.empty();
        }
        String trimmed = secretString.strip();
        if (!trimmed.startsWith("{")) {
            return Optional.of(trimmed);
        }
        try {
            JsonNode value = Json.MAPPER.readTree(trimmed).get(field);
            if (value == null || !value.isTextual() || value.asText().isBlank()) {
                return Optional.empty();
            }
            return Optional.of(value.asText().strip());
        } catch (Exception e) {
            // Never quote the parser's message: it may contain part of the secret.
            return Optional.empty();
        }
    }
}
