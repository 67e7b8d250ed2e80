package cloud.phonematch.verify.verification;

import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.output.Language;
import cloud.phonematch.verify.output.ResultCode;

/** What one call to the API came to, already translated into our vocabulary by the gateway. */
public sealed interface UpstreamAnswer {

    /** The upstream {@code trace_id}, when the API gave one. */
    String traceId();

    /**
     * What a known result code means: a business answer, or — for the engine errors -2 and -3, which the API
     * does not charge — a transient refusal that may be retried.
     */
    static UpstreamAnswer of(ResultCode code, String traceId) {
        return of(code, traceId, true);
    }

    /**
     * A result code the sandbox plays in the API's stead: read as {@link #of}, with no trace id and, since no API
     * answered over HTTP, no {@code upstream_status}.
     */
    static UpstreamAnswer played(ResultCode code) {
        return of(code, null, false);
    }

    private static UpstreamAnswer of(ResultCode code, String traceId, boolean overHttp) {
        if (code.status().isPresent()) {
            return new Answered(code, traceId);
        }
        ErrorType type = code.errorType().orElse(ErrorType.UPSTREAM_CONTRACT);
        Failure failure = Failure.of(type, code.description(Language.EN));
        String resultCode = Integer.toString(code.code());
        failure = overHttp ? failure.withUpstream(200, resultCode) : failure.withUpstreamCode(resultCode);
        return new Refused(failure, RefusalKind.TRANSIENT, traceId);
    }

    /** The API answered with a business result code (0, 1, -1, -4, -5, -6). */
    record Answered(ResultCode code, String traceId) implements UpstreamAnswer {
    }

    /** The API (or the way to it) refused; {@code kind} says what may be done about it. */
    record Refused(Failure failure, RefusalKind kind, String traceId) implements UpstreamAnswer {
    }

    /**
     * What may be done about a refusal, by its nature. Whether the API may have charged is the failure's own {@link
     * cloud.phonematch.verify.output.Charge}, set by the {@link ChargeRule}, which also decides whether a refusal of
     * either kind may be sent again ({@link Retries} asks it).
     */
    enum RefusalKind {
        /** 401 invalid_token or 400 token_mismatched: a rotated secret may fix it. Not charged. */
        TOKEN_REJECTED,
        /**
         * The API's or the network's trouble, which another call may not meet: 429, 5xx, a connection that failed,
         * no answer in time, engine errors -2/-3. Repeated only when its failure cannot have been charged (or the
         * operator accepted the risk).
         */
        TRANSIENT,
        /** Refused locally because the API's circuit is open: no call was made. */
        CIRCUIT_OPEN,
        /** Trying again cannot help (4xx, quota, contract violations). */
        FINAL
    }
}
