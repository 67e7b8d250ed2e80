package cloud.phonematch.verify.output;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A verification that reached an answer: the normalized success shape. {@code mobile} is already masked;
 * this type never holds a plaintext number or name.
 *
 * @param hint what the caller should send instead, in the request's language, when the local pre-check refused
 *     the input; null for every answer that came from upstream (the API's own refusals say nothing more than
 *     their code)
 */
public record Outcome(VerificationStatus status, ResultCode resultCode, String description, String maskedMobile,
        String carrier, AnsweredBy answeredBy, int attempts, String requestId, String correlationId,
        String upstreamTraceId, long durationMs, String hint, boolean replayed, boolean reused) {

    /** An answer reached in this invocation. */
    public Outcome(VerificationStatus status, ResultCode resultCode, String description, String maskedMobile,
            String carrier, AnsweredBy answeredBy, int attempts, String requestId, String correlationId,
            String upstreamTraceId, long durationMs, String hint) {
        this(status, resultCode, description, maskedMobile, carrier, answeredBy, attempts, requestId, correlationId,
                upstreamTraceId, durationMs, hint, false, false);
    }

    /**
     * This answer returned again to a repeat of its idempotency key: the same answer, with this invocation's ids
     * and duration, no attempts and nothing charged (the original invocation paid for it).
     */
    public Outcome replayedAs(String newRequestId, String newCorrelationId, long newDurationMs) {
        return givenAgain(newRequestId, newCorrelationId, newDurationMs, true, false);
    }

    /**
     * This answer given again to another request for the same person within {@code VERIFY_REUSE_WINDOW}: nothing
     * sent, nothing charged (the invocation that first got it paid for it).
     */
    public Outcome reusedAs(String newRequestId, String newCorrelationId, long newDurationMs) {
        return givenAgain(newRequestId, newCorrelationId, newDurationMs, false, true);
    }

    /** The same answer for another invocation: its ids and duration, no attempts of its own. */
    private Outcome givenAgain(String newRequestId, String newCorrelationId, long newDurationMs, boolean asReplay,
            boolean asReuse) {
        return new Outcome(status, resultCode, description, maskedMobile, carrier, answeredBy, 0, newRequestId,
                newCorrelationId, upstreamTraceId, newDurationMs, hint, asReplay, asReuse);
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

    public boolean checkedUpstream() {
        return answeredBy != AnsweredBy.PRECHECK;
    }

    /**
     * Whether this invocation was charged for the answer: only when the API itself answered with a charged code (0
     * or 1) now. The sandbox never charges, and a replayed answer was paid for by the invocation that first got it.
     */
    public boolean billable() {
        return answeredBy == AnsweredBy.API && status.billable() && !replayed && !reused;
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
        return n;
    }
}
