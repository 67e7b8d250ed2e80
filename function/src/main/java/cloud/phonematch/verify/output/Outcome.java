package cloud.phonematch.verify.output;

import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.phonematch.verify.json.Json;

/**
 * A verification that reached an answer: the normalized success shape. {@code mobile} is already masked;
 * this type never holds a plaintext number or name.
 *
 * @param hint what the caller should send instead, in the request's language, when the local pre-check refused
 *     the input; null for every answer that came from upstream (the API's own refusals say nothing more than
 *     their code)
 * @param possiblyChargedAttempts calls of this invocation before its answer that may have been charged although no
 *     answer came back (only when the operator accepted repeating them): the invocation may have cost money even when
 *     its answer is not a charged one
 */
public record Outcome(VerificationStatus status, ResultCode resultCode, String description, String maskedMobile,
        String carrier, AnsweredBy answeredBy, int attempts, String requestId, String correlationId,
        String upstreamTraceId, long durationMs, String hint, boolean replayed, boolean reused,
        int possiblyChargedAttempts) {

    /** An answer reached in this invocation, with no call before it whose charge is unknown. */
    public Outcome(VerificationStatus status, ResultCode resultCode, String description, String maskedMobile,
            String carrier, AnsweredBy answeredBy, int attempts, String requestId, String correlationId,
            String upstreamTraceId, long durationMs, String hint) {
        this(status, resultCode, description, maskedMobile, carrier, answeredBy, attempts, requestId, correlationId,
                upstreamTraceId, durationMs, hint, false, false, 0);
    }

    /** Who produced the answer: it decides {@code checked_upstream} and {@code billable}. */
    public enum AnsweredBy {
        /** The local pre-check: no call, no charge. */
        PRECHECK,
        /** The in-process sandbox: stands in for the API, charges nothing. */
        SANDBOX,
        /** The API itself. */
        API
    }

    /** Whether the API itself gave the answer: neither the pre-check nor the sandbox calls it. */
    public boolean checkedUpstream() {
        return answeredBy == AnsweredBy.API;
    }

    /**
     * Whether this invocation was, or may have been, charged: when the API itself answered with a charged code (0 or
     * 1) now, or an earlier call of it may have been charged. The sandbox never charges, and an answer given again
     * was paid for by the invocation that first got it.
     */
    public boolean billable() {
        return answeredBy == AnsweredBy.API && !replayed && !reused
                && (status.billable() || possiblyChargedAttempts > 0);
    }

    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        n.put("status", status.name());
        if (status.match() == null) {
            n.putNull("match");
        } else {
            n.put("match", status.match());
        }
        n.put("result_code", resultCode.code());
        n.put("description", description);
        n.put("hint", hint);
        n.put("billable", billable());
        n.put("mobile", maskedMobile);
        n.put("carrier", carrier);
        n.put("checked_upstream", checkedUpstream());
        n.put("attempts", attempts);
        n.put("request_id", requestId);
        n.put("correlation_id", correlationId);
        n.put("upstream_trace_id", upstreamTraceId);
        n.put("duration_ms", durationMs);
        n.put("replayed", replayed);
        n.put("reused", reused);
        n.put("possibly_charged_attempts", possiblyChargedAttempts);
        return n;
    }
}
