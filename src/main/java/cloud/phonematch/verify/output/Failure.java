package cloud.phonematch.verify.output;

import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A failure in the normalized shape. The message is written by this function, never copied from a
 * request body or a library exception, so it cannot carry a name, a number or the token.
 *
 * @param type the stable machine-readable type
 * @param message a human sentence, free of personal data
 * @param retryAfterSeconds how long the caller should wait before trying again (rate limits)
 * @param upstreamStatus the API's HTTP status, when the API answered
 * @param upstreamCode the API's error code or result code, when it gave one
 * @param circuitOpen true when the call was refused locally because the API's circuit is open
 * @param httpStatusOverride a status other than the type's default (413 for an oversized body)
 */
public record Failure(ErrorType type, String message, OptionalLong retryAfterSeconds, OptionalInt upstreamStatus,
        String upstreamCode, boolean circuitOpen, OptionalInt httpStatusOverride) {

    public static Failure of(ErrorType type, String message) {
        return new Failure(type, message, OptionalLong.empty(), OptionalInt.empty(), null, false, OptionalInt.empty());
    }

    public static Failure upstream(ErrorType type, String message, int upstreamStatus, String upstreamCode) {
        return new Failure(type, message, OptionalLong.empty(), OptionalInt.of(upstreamStatus), upstreamCode, false,
                OptionalInt.empty());
    }

    public Failure withUpstream(int status, String code) {
        return new Failure(type, message, retryAfterSeconds, OptionalInt.of(status), code, circuitOpen,
                httpStatusOverride);
    }

    public Failure withRetryAfter(long seconds) {
        return new Failure(type, message, OptionalLong.of(seconds), upstreamStatus, upstreamCode, circuitOpen,
                httpStatusOverride);
    }

    public Failure withHttpStatus(int status) {
        return new Failure(type, message, retryAfterSeconds, upstreamStatus, upstreamCode, circuitOpen,
                OptionalInt.of(status));
    }

    public Failure withCircuitOpen() {
        return new Failure(type, message, retryAfterSeconds, upstreamStatus, upstreamCode, true, httpStatusOverride);
    }

    public int httpStatus() {
        return httpStatusOverride.orElse(type.httpStatus());
    }

    public boolean retryable() {
        return type.retryable();
    }

    public VerificationException toException(String requestId) {
        return type.toException(this, requestId);
    }
}
