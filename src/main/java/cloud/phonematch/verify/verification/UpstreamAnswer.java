package cloud.phonematch.verify.verification;

import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.output.ResultCode;

/** What one call to the API came to, already translated into our vocabulary by the gateway. */
public sealed interface UpstreamAnswer {

    /** The upstream {@code trace_id}, when the API gave one. */
    String traceId();

    /** The API answered with a known result code (business answer or engine error). */
    record Answered(ResultCode code, String traceId) implements UpstreamAnswer {
    }

    /** The API (or the way to it) refused; {@code kind} says what may be done about it. */
    record Refused(Failure failure, RefusalKind kind, String traceId) implements UpstreamAnswer {
    }

    /**
     * How a refusal relates to money and retries. The retry policy is derived from this, in one place:
     * only a request that cannot have been charged is ever repeated.
     */
    enum RefusalKind {
        /** 401 invalid_token or 400 token_mismatched: a rotated secret may fix it. Not charged. */
        TOKEN_REJECTED,
        /** Refused before any charge could happen (429, 5xx, connection not established). */
        UNCHARGED_TRANSIENT,
        /** The request was sent and no answer came back: the API may have charged it. */
        MAYBE_CHARGED,
        /** Trying again cannot help (4xx, quota, contract violations). */
        FINAL
    }
}
