package cloud.phonematch.verify.observability;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.output.Outcome;
import cloud.phonematch.verify.verification.Caller;
import cloud.phonematch.verify.verification.Invocation;
import cloud.phonematch.verify.verification.VerificationResult;

/**
 * The facts of one invocation that operators see, built only from values that are safe by construction:
 * ids, codes, counts, durations and the masked number. Never a name, a plaintext number, a token or a body.
 */
record SummaryFields(String source, String caller, String statusOrError, boolean failed, boolean outcomeUnknown, boolean replayed,
        boolean reused, Integer resultCode, boolean billable, int attempts, Integer upstreamStatus, String upstreamTraceId, long upstreamMs, long durationMs,
        boolean coldStart, String maskedMobile, String requestId, String correlationId) {

    /** An upstream code that is one of the API's numeric result codes (e.g. -2 for an engine error). */
    private static final Pattern RESULT_CODE = Pattern.compile("-?\\d{1,2}");

    static SummaryFields of(String source, Caller caller, Invocation invocation, VerificationResult result,
            boolean coldStart, long durationMs) {
        return switch (result) {
            case VerificationResult.Answered answered -> {
                Outcome o = answered.outcome();
                yield new SummaryFields(source, caller.label(), o.status().name(), false, false, o.replayed(), o.reused(),
                        o.resultCode().code(),
                        o.billable(),
                        o.attempts(), o.answeredBy() == Outcome.AnsweredBy.API ? 200 : null, o.upstreamTraceId(), answered.upstreamMs(),
                        durationMs, coldStart, o.maskedMobile(), invocation.requestId(), invocation.correlationId());
            }
            case VerificationResult.Failed failed -> {
                Failure f = failed.failure();
                Integer resultCode = null;
                // A result code came in a 200 of the API's, or from the sandbox, which has no HTTP status.
                if (f.upstreamStatus().orElse(200) == 200 && f.upstreamCode() != null
                        && RESULT_CODE.matcher(f.upstreamCode()).matches()) {
                    resultCode = Integer.parseInt(f.upstreamCode());
                }
                yield new SummaryFields(source, caller.label(), f.type().name(), true, f.outcomeUnknown(), false, false,
                        resultCode,
                        false,
                        failed.attempts(),
                        f.upstreamStatus().isPresent() ? f.upstreamStatus().getAsInt() : null,
                        failed.upstreamTraceId(), failed.upstreamMs(), durationMs, coldStart, failed.maskedMobile(),
                        invocation.requestId(), invocation.correlationId());
            }
        };
    }

    /** As log fields, in a stable order; absent values are left out rather than printed as "null". */
    Map<String, String> asLogFields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("aws_request_id", requestId);
        m.put("correlation_id", correlationId);
        m.put("source", source);
        // Who sent it (a principal, a token's subject, a source address), never the person checked: spend per caller.
        m.put("caller", caller);
        m.put(failed ? "error.type" : "status", statusOrError);
        if (outcomeUnknown) {
            // The API may have charged it: the line to find when reconciling with the provider's records.
            m.put("outcome_unknown", "true");
        }
        if (replayed) {
            // The stored answer to a repeated idempotency key: nothing was sent or charged.
            m.put("replayed", "true");
        }
        if (reused) {
            // A charged answer kept for this person, given again: nothing was sent or charged.
            m.put("reused", "true");
        }
        if (resultCode != null) {
            m.put("result_code", resultCode.toString());
        }
        m.put("billable", Boolean.toString(billable));
        m.put("attempts", Integer.toString(attempts));
        if (upstreamStatus != null) {
            m.put("upstream_status", upstreamStatus.toString());
        }
        if (upstreamTraceId != null) {
            m.put("upstream_trace_id", upstreamTraceId);
        }
        m.put("upstream_ms", Long.toString(upstreamMs));
        m.put("duration_ms", Long.toString(durationMs));
        m.put("cold_start", Boolean.toString(coldStart));
        if (maskedMobile != null) {
            m.put("mobile_masked", maskedMobile);
        }
        return m;
    }
}
