package cloud.phonematch.verify.handler;

import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.output.Language;
import cloud.phonematch.verify.verification.Caller;
import cloud.phonematch.verify.verification.FailureException;
import cloud.phonematch.verify.verification.VerificationRequest;

/**
 * Reads the request object every caller sends ({@code name}, {@code mobile}, optional {@code language},
 * {@code correlation_id} and {@code idempotency_key}); unknown fields are ignored, a field given twice is refused (by the reader, before
 * this class sees the object). Error messages name the field, never its value.
 */
final class RequestFields {
    /** Correlation ids end up in logs and headers: a bounded, printable alphabet keeps both safe. */
    private static final Pattern CORRELATION_ID = Pattern.compile("[A-Za-z0-9._:/=+-]{1,128}");
    private static final String CORRELATION_ID_RULE = "1-128 characters of letters, digits and ._:/=+-";
    private static final Pattern LANGUAGE = Pattern.compile("(?i)(en|zh)([-_][A-Za-z0-9]{1,8})*");
    /** Idempotency keys: the same safe alphabet, long enough for a UUID, a hash or a composed key. */
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9._:/=+-]{1,255}");
    private static final String IDEMPOTENCY_KEY_RULE = "1-255 characters of letters, digits and ._:/=+-";

    private RequestFields() {
    }

    /** A direct caller's request: no headers, and no caller named. */
    static VerificationRequest read(JsonNode body, Language languageFallback, String correlationFallback) {
        return read(body, languageFallback, correlationFallback, null, Caller.DIRECT);
    }

    /**
     * @param languageFallback the language when the body names none (from Accept-Language, or English)
     * @param correlationFallback the correlation id when the body gives none
     * @param idempotencyHeader the {@code Idempotency-Key} header, or null; when the body also has
     *     {@code idempotency_key}, the two must agree
     * @param caller who sent it
     */
    static VerificationRequest read(JsonNode body, Language languageFallback, String correlationFallback,
            String idempotencyHeader, Caller caller) {
        if (body == null || !body.isObject()) {
            throw invalid("the request must be a JSON object with string fields 'name' and 'mobile'");
        }
        String name = requiredString(body, "name");
        String mobile = requiredString(body, "mobile");
        Language language = languageFallback;
        JsonNode lang = body.get("language");
        if (lang != null && !lang.isNull()) {
            if (!lang.isTextual() || !LANGUAGE.matcher(lang.asText()).matches()) {
                throw invalid("field 'language' must be \"en\" or \"zh\"");
            }
            language = Language.fromTag(lang.asText());
        }
        String correlationId = correlationFallback;
        JsonNode corr = body.get("correlation_id");
        if (corr != null && !corr.isNull()) {
            if (!corr.isTextual() || !CORRELATION_ID.matcher(corr.asText()).matches()) {
                throw invalid("field 'correlation_id' must be " + CORRELATION_ID_RULE);
            }
            correlationId = corr.asText();
        }
        JsonNode fresh = body.get("fresh");
        if (fresh != null && !fresh.isNull() && !fresh.isBoolean()) {
            throw invalid("field 'fresh' must be true or false");
        }
        return new VerificationRequest(name, mobile, language, correlationId,
                idempotencyKey(body.get("idempotency_key"), idempotencyHeader), fresh != null && fresh.asBoolean(),
                caller);
    }

    private static String idempotencyKey(JsonNode field, String header) {
        String fromBody = null;
        if (field != null && !field.isNull()) {
            if (!field.isTextual() || !IDEMPOTENCY_KEY.matcher(field.asText()).matches()) {
                throw invalid("field 'idempotency_key' must be " + IDEMPOTENCY_KEY_RULE);
            }
            fromBody = field.asText();
        }
        if (header != null && !IDEMPOTENCY_KEY.matcher(header).matches()) {
            throw invalid("header 'Idempotency-Key' must be " + IDEMPOTENCY_KEY_RULE);
        }
        if (fromBody != null && header != null && !fromBody.equals(header)) {
            throw invalid("field 'idempotency_key' and header 'Idempotency-Key' differ; send one key");
        }
        return fromBody != null ? fromBody : header;
    }

    /** A correlation id taken from a header, if it is acceptable; otherwise null (a fresh one is used). */
    static String acceptableCorrelationId(String candidate) {
        return candidate != null && CORRELATION_ID.matcher(candidate).matches() ? candidate : null;
    }

    /**
     * The one value of a header a request may give once ({@code Idempotency-Key}, {@code X-Request-Id}), or null
     * when it gives none. Two values are refused, not chosen between: as REST API's {@code multiValueHeaders}, or
     * joined with a comma (an HTTP API joins a repeated header's values so, and neither header's alphabet has one).
     *
     * @param header the header's name as the message spells it
     */
    static String singleHeader(List<String> values, String header) {
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() > 1 || values.get(0).indexOf(',') >= 0) {
            throw invalid("header '" + header + "' has more than one value; exactly one is allowed");
        }
        return values.get(0);
    }

    /**
     * Checks the {@code X-Request-Id} header by the rules of the body's {@code correlation_id}: a value outside them
     * is refused, not replaced, so that the id a caller reconciles by is the one it sent.
     */
    static void checkRequestIdHeader(List<String> values) {
        String value = singleHeader(values, "X-Request-Id");
        if (value != null && !CORRELATION_ID.matcher(value).matches()) {
            throw invalid("header 'X-Request-Id' must be " + CORRELATION_ID_RULE);
        }
    }

    private static String requiredString(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            throw invalid("field '" + field + "' is required");
        }
        if (!v.isTextual()) {
            throw invalid("field '" + field + "' must be a string");
        }
        if (v.asText().indexOf(Json.REPLACEMENT_CHARACTER) >= 0) {
            // A hop before this function decoded other bytes as UTF-8: the pre-check would call it a bad name.
            throw notUtf8("the request must be UTF-8 JSON; field '" + field
                    + "' holds U+FFFD, which stands for bytes that were not UTF-8");
        }
        return v.asText();
    }

    /** A key given twice (see {@link cloud.phonematch.verify.json.Json#STRICT_READER}): names no key, no value. */
    static FailureException duplicateKey() {
        return invalid("the request has a duplicate field; send each field once");
    }

    /** Bytes in another encoding than UTF-8 (GBK, say): {@code INVALID_ENCODING}, whose message names no value. */
    static FailureException notUtf8(String message) {
        return new FailureException(Failure.of(ErrorType.INVALID_ENCODING, message));
    }

    static FailureException invalid(String message) {
        return new FailureException(Failure.of(ErrorType.INVALID_REQUEST, message));
    }
}
