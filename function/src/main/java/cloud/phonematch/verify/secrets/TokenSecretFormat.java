package cloud.phonematch.verify.secrets;

import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.verification.ApiToken;

/**
 * Reads a SecretString once: either the token itself, or a JSON object holding it under a configurable field
 * (the shape the Secrets Manager console produces for key/value secrets), optionally with the provider's
 * encryption key under {@code public_key} and the records' hash key under a configurable field.
 * <p>
 * The token is checked here, before anything is sent with it: it goes into an {@code Authorization: Bearer} header, so
 * it must be an RFC 6750 {@code b64token}. A token with a line break, a space or JSON around it would otherwise reach
 * the HTTP client, which either refuses the header after the call has begun (an outcome nobody can judge) or sends a
 * header the API rejects.
 */
public final class TokenSecretFormat {
    /** RFC 6750 §2.1: {@code b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}. */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

    private TokenSecretFormat() {
    }

    /**
     * The token (and public key and hash key, if any), or empty when the secret holds no token at all.
     *
     * @throws UnusableTokenSecret when the secret holds a token that cannot be sent: a value that is not a string, or a
     *         string with characters a bearer token cannot hold. Its message says which, never the value.
     */
    public static Optional<ApiToken> parse(String secretString, String tokenField, String hashKeyField) {
        if (secretString == null || secretString.isBlank()) {
            return Optional.empty();
        }
        String trimmed = secretString.strip();
        if (!trimmed.startsWith("{")) {
            return Optional.of(new ApiToken(checked(trimmed)));
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(trimmed);
        } catch (Exception e) {
            // Never quote the parser's message: it may contain part of the secret.
            return Optional.empty();
        }
        JsonNode token = json.get(tokenField);
        if (token != null && !token.isNull() && !token.isTextual()) {
            throw new UnusableTokenSecret("the token secret's field '" + tokenField + "' is not a string (it is "
                    + kind(token) + ")");
        }
        return text(json, tokenField).map(value -> new ApiToken(checked(value),
                text(json, "public_key").orElse(null), text(json, hashKeyField).orElse(null)));
    }

    private static String checked(String token) {
        if (!B64TOKEN.matcher(token).matches()) {
            throw new UnusableTokenSecret("the token in the secret has characters a bearer token cannot hold (RFC 6750:"
                    + " letters, digits and -._~+/ with = at the end only; no spaces, line breaks or quotes)");
        }
        return token;
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> "not text";
        };
    }

    private static Optional<String> text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank()
                ? Optional.of(value.asText().strip())
                : Optional.empty();
    }

    /** A secret whose token cannot be sent; the message names the problem, never the value. */
    public static final class UnusableTokenSecret extends RuntimeException {
        UnusableTokenSecret(String message) {
            super(message, null, false, false);
        }
    }
}
