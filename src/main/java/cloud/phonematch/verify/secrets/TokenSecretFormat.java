package cloud.phonematch.verify.secrets;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.output.Json;
import cloud.phonematch.verify.verification.ApiToken;

/**
 * Reads a SecretString once: either the token itself, or a JSON object holding it under a configurable field
 * (the shape the Secrets Manager console produces for key/value secrets), optionally with the provider's
 * encryption key under {@code public_key} and the records' hash key under a configurable field.
 */
public final class TokenSecretFormat {
    private TokenSecretFormat() {
    }

    /** The token (and public key and hash key, if any), or empty when the secret holds no usable token. */
    public static Optional<ApiToken> parse(String secretString, String tokenField, String hashKeyField) {
        if (secretString == null || secretString.isBlank()) {
            return Optional.empty();
        }
        String trimmed = secretString.strip();
        if (!trimmed.startsWith("{")) {
            return Optional.of(new ApiToken(trimmed));
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(trimmed);
        } catch (Exception e) {
            // Never quote the parser's message: it may contain part of the secret.
            return Optional.empty();
        }
        return text(json, tokenField).map(token -> new ApiToken(token, text(json, "public_key").orElse(null),
                text(json, hashKeyField).orElse(null)));
    }

    private static Optional<String> text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank()
                ? Optional.of(value.asText().strip())
                : Optional.empty();
    }
}
