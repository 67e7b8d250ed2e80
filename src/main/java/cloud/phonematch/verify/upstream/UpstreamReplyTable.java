package cloud.phonematch.verify.upstream;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.output.Json;
import cloud.phonematch.verify.output.ResultCode;
import cloud.phonematch.verify.verification.ChargeRule;
import cloud.phonematch.verify.verification.UpstreamAnswer;
import cloud.phonematch.verify.verification.UpstreamAnswer.RefusalKind;

/**
 * Turns one HTTP reply of the API into an {@link UpstreamAnswer}: result codes through {@link ResultCode},
 * HTTP errors through {@link UpstreamErrorRule}, anything not in the documented shape into
 * {@code UPSTREAM_CONTRACT}. Pure: no I/O, no framework.
 */
public final class UpstreamReplyTable {
    /** When a 429 comes without a usable Retry-After, callers are told to wait this long. */
    static final long DEFAULT_RETRY_AFTER_SECONDS = 1;

    private final Clock clock;

    public UpstreamReplyTable(Clock clock) {
        this.clock = clock;
    }

    public UpstreamAnswer map(int httpStatus, String body, String retryAfterHeader) {
        Optional<JsonNode> json = Json.parseObject(body);
        String traceId = json.map(j -> j.path("trace_id")).filter(JsonNode::isTextual).map(JsonNode::asText)
                .orElse(null);
        if (httpStatus == 200) {
            return json.map(j -> answered(j, traceId))
                    .orElseGet(() -> contract("the API answered 200 with a body that is not a JSON object", 200, null,
                            traceId));
        }
        String errorCode = json.map(j -> j.path("error").path("code")).filter(JsonNode::isTextual)
                .map(JsonNode::asText).orElse(null);
        UpstreamErrorRule rule = UpstreamErrorRule.match(httpStatus, errorCode);
        Failure failure = ChargeRule.errorStatus(ChargeRule.Peer.VERIFICATION_API, httpStatus)
                .mark(Failure.upstream(rule.type, rule.message, httpStatus, errorCode));
        if (rule.type == ErrorType.RATE_LIMITED) {
            failure = failure.withRetryAfter(retryAfterSeconds(retryAfterHeader).orElse(DEFAULT_RETRY_AFTER_SECONDS));
        }
        return new UpstreamAnswer.Refused(failure, rule.kind, traceId);
    }

    private UpstreamAnswer answered(JsonNode json, String traceId) {
        if (json.has("error")) {
            return contract("the API answered 200 with an error body", 200,
                    json.path("error").path("code").asText(null), traceId);
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
            // The raw code is the API's, not the caller's: safe to report, capped in length.
            return contract("the API answered with an unknown result code", 200,
                    raw.length() > 16 ? raw.substring(0, 16) : raw, traceId);
        }
        return UpstreamAnswer.of(code.get(), traceId);
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
