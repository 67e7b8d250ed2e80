package cloud.phonematch.verify.upstream;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.output.ResultCode;
import cloud.phonematch.verify.verification.ChargeRule;
import cloud.phonematch.verify.verification.UpstreamAnswer;
import cloud.phonematch.verify.verification.UpstreamAnswer.RefusalKind;

/**
 * Turns one HTTP reply of the API into an {@link UpstreamAnswer}: result codes through {@link ResultCode},
 * HTTP errors through {@link UpstreamErrorRule}, anything not in the documented shape into
 * {@code UPSTREAM_CONTRACT}. Text of the reply is passed on only through {@link UpstreamText}. No I/O but the WARN line
 * of a dropped value, no framework.
 */
public final class ApiReplyReader {
    /** When a 429 comes without a usable Retry-After, callers are told to wait this long. */
    static final long DEFAULT_RETRY_AFTER_SECONDS = 1;

    private final Clock clock;

    public ApiReplyReader(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param text what may be passed on of this reply's text: {@link UpstreamText} for the request it answers
     */
    public UpstreamAnswer read(int httpStatus, String body, String retryAfterHeader, UpstreamText text) {
        Optional<JsonNode> json = Json.parseObject(body);
        String traceId = text.pass("upstream_trace_id", json.map(j -> textOf(j.path("trace_id"))).orElse(null));
        if (httpStatus == 200) {
            return json.map(j -> answered(j, traceId, text))
                    .orElseGet(() -> contract("the API answered 200 with a body that is not a JSON object", 200, null,
                            traceId));
        }
        String errorCode = json.map(j -> textOf(j.path("error").path("code"))).orElse(null);
        // The row is chosen by the code as sent (it is only compared with the table's own codes); what is passed on
        // is what UpstreamText lets through.
        UpstreamErrorRule rule = UpstreamErrorRule.match(httpStatus, errorCode);
        Failure failure = ChargeRule.errorStatus(ChargeRule.Peer.VERIFICATION_API, httpStatus)
                .mark(Failure.upstream(rule.type, rule.message, httpStatus, text.pass("upstream_code", errorCode)));
        if (rule.type == ErrorType.RATE_LIMITED) {
            failure = failure.withRetryAfter(retryAfterSeconds(retryAfterHeader).orElse(DEFAULT_RETRY_AFTER_SECONDS));
        }
        return new UpstreamAnswer.Refused(failure, rule.kind, traceId);
    }

    private UpstreamAnswer answered(JsonNode json, String traceId, UpstreamText text) {
        if (json.has("error")) {
            return contract("the API answered 200 with an error body", 200,
                    text.pass("upstream_code", textOf(json.path("error").path("code"))), traceId);
        }
        JsonNode result = json.get("result");
        if (result == null || !(result.isTextual() || result.isIntegralNumber())) {
            return contract("the API's answer has no result code", 200, null, traceId);
        }
        String raw = result.asText().strip();
        Optional<ResultCode> code;
        try {
            code = ResultCode.of(Integer.parseInt(raw));
        } catch (NumberFormatException e) {
            code = Optional.empty();
        }
        if (code.isEmpty()) {
            return contract("the API answered with an unknown result code", 200, text.pass("upstream_code", raw),
                    traceId);
        }
        return UpstreamAnswer.of(code.get(), traceId);
    }

    /** A string value as it is; anything else (absent, a number, an object) is no text. */
    private static String textOf(JsonNode node) {
        return node.isTextual() ? node.textValue() : null;
    }

    /**
     * A 200 we cannot read. The engine ran and may have charged (an unknown result code may well be a charged one):
     * the charge rule's unreadable reply, and final.
     */
    private static UpstreamAnswer contract(String message, int status, String code, String traceId) {
        return new UpstreamAnswer.Refused(
                ChargeRule.unreadableReply().mark(Failure.upstream(ErrorType.UPSTREAM_CONTRACT, message, status, code)),
                RefusalKind.FINAL, traceId);
    }

    /** Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3); never negative. */
    Optional<Long> retryAfterSeconds(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String h = header.strip();
        try {
            return Optional.of(Math.max(0, Long.parseLong(h)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME);
                long seconds = Duration.between(clock.instant(), at.toInstant()).toSeconds();
                return Optional.of(Math.max(0, seconds));
            } catch (RuntimeException notADate) {
                return Optional.empty();
            }
        }
    }
}
