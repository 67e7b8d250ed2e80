package cloud.phonematch.verify.output;

import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A failure in the normalized shape. The message is written by this function, never copied from a
 * request body or a library exception, so it cannot carry a name, a number or the token.
 *
 * @param type the stable machine-readable type
 * @param message a human sentence, free of personal data
 * @param retryable whether the caller may send the same request again: the type's nature, unless the API may have
 *        charged (then false, unless the operator accepted a second charge)
 * @param charge whether the API may have charged for it ({@code outcome_unknown} when it may)
 * @param retryAfterSeconds how long the caller should wait before trying again (rate limits)
 * @param upstreamStatus the API's HTTP status, when the API answered
 * @param upstreamCode the API's error code or result code, when it gave one
 * @param circuitOpen true when the call was refused locally because the API's circuit is open
 * @param httpStatusOverride a status other than the type's default (413 for an oversized body, 502 for a broken
 *        connection)
 * @param calls what the verification this failure ends had sent to the API; null when it ends none, because the
 *        request itself was refused before one could start (not found, not allowed, unreadable)
 */
public record Failure(ErrorType type, String message, boolean retryable, Charge charge, OptionalLong retryAfterSeconds,
        OptionalInt upstreamStatus, String upstreamCode, boolean circuitOpen, OptionalInt httpStatusOverride,
        Calls calls) {

    /**
     * The calls to the API of the invocation a failure ends: {@code attempts} and {@code possibly_charged_attempts},
     * the outcome's fields of the same names.
     *
     * @param attempts calls that went out to the API (0 when none did; the sandbox's answers are no calls)
     * @param possiblyCharged those of them that got no usable reply and so may have been charged
     */
    public record Calls(int attempts, int possiblyCharged) {
        public static final Calls NONE = new Calls(0, 0);
    }

    public static Failure of(ErrorType type, String message) {
        return new Failure(type, message, type.retryable(), Charge.NOT_CHARGED, OptionalLong.empty(),
                OptionalInt.empty(), null, false, OptionalInt.empty(), null);
    }

    public static Failure upstream(ErrorType type, String message, int upstreamStatus, String upstreamCode) {
        return of(type, message).withUpstream(upstreamStatus, upstreamCode);
    }

    public Failure withUpstream(int status, String code) {
        return new Failure(type, message, retryable, charge, retryAfterSeconds, OptionalInt.of(status), code,
                circuitOpen, httpStatusOverride, calls);
    }

    /** The code an answer gave without an HTTP status of the API's (the sandbox's result codes). */
    public Failure withUpstreamCode(String code) {
        return new Failure(type, message, retryable, charge, retryAfterSeconds, upstreamStatus, code, circuitOpen,
                httpStatusOverride, calls);
    }

    public Failure withRetryAfter(long seconds) {
        return new Failure(type, message, retryable, charge, OptionalLong.of(seconds), upstreamStatus, upstreamCode,
                circuitOpen, httpStatusOverride, calls);
    }

    public Failure withHttpStatus(int status) {
        return new Failure(type, message, retryable, charge, retryAfterSeconds, upstreamStatus, upstreamCode,
                circuitOpen, OptionalInt.of(status), calls);
    }

    /** The failure as the end of a verification that made these calls to the API. */
    public Failure withCalls(Calls made) {
        return new Failure(type, message, retryable, charge, retryAfterSeconds, upstreamStatus, upstreamCode,
                circuitOpen, httpStatusOverride, made);
    }

    public Failure withCircuitOpen() {
        return new Failure(type, message, retryable, charge, retryAfterSeconds, upstreamStatus, upstreamCode, true,
                httpStatusOverride, calls);
    }

    /**
     * The API may have charged the request this failure ends: not retryable, and an {@link OutcomeUnknownException}.
     * Through API Gateway a type whose status is 503 answers 502 instead: 503 tells a client the request was not
     * handled (RFC 9110, 15.6.4), which a possibly charged request may well have been; 502 says only that no usable
     * answer came from upstream.
     */
    public Failure maybeCharged() {
        OptionalInt status = type.httpStatus() == 503 && httpStatusOverride.isEmpty() ? OptionalInt.of(502)
                : httpStatusOverride;
        return new Failure(type, message, false, Charge.MAYBE_CHARGED, retryAfterSeconds, upstreamStatus,
                upstreamCode, circuitOpen, status, calls);
    }

    /**
     * The operator accepted that a possibly charged request is sent again ({@code VERIFY_REPEAT_POSSIBLY_CHARGED=true}):
     * retryable as its type says. It stays {@code outcome_unknown} and an {@link OutcomeUnknownException}, so a
     * workflow retries it only where the operator listed that class too.
     */
    public Failure retryableDespiteCharge() {
        return new Failure(type, message, type.retryable(), charge, retryAfterSeconds, upstreamStatus, upstreamCode,
                circuitOpen, httpStatusOverride, calls);
    }

    /** Whether the API may have charged: the caller cannot know whether the verification was paid for. */
    public boolean outcomeUnknown() {
        return charge == Charge.MAYBE_CHARGED;
    }

    public int httpStatus() {
        return httpStatusOverride.orElse(type.httpStatus());
    }

    /**
     * The typed exception a direct caller receives: {@link OutcomeUnknownException} for every possibly charged
     * failure, so that no workflow {@code Retry} written for the type's own class can pay twice.
     */
    public VerificationException toException(String requestId) {
        return outcomeUnknown() ? new OutcomeUnknownException(this, requestId) : type.toException(this, requestId);
    }
}
