package cloud.phonematch.verify.observability;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import cloud.phonematch.verify.handler.EventSource;
import cloud.phonematch.verify.output.Outcome;
import cloud.phonematch.verify.verification.Invocation;
import cloud.phonematch.verify.verification.VerificationResult;

/**
 * The one INFO line each invocation writes. Built only from fields that are safe by construction: ids,
 * codes, counts, durations and the masked number. Never a name, a plaintext number, a token or a body.
 */
@ApplicationScoped
public class InvocationSummary {
    private static final Logger LOG = Logger.getLogger("cloud.phonematch.verify.summary");

    public void log(EventSource source, Invocation invocation, VerificationResult result) {
        long durationMs = (System.nanoTime() - invocation.startNanos()) / 1_000_000L;
        switch (result) {
            case VerificationResult.Answered answered -> {
                Outcome o = answered.outcome();
                LOG.infof("verification aws_request_id=%s correlation_id=%s source=%s status=%s result_code=%d "
                        + "billable=%s attempts=%d upstream_trace_id=%s duration_ms=%d mobile_masked=%s",
                        invocation.requestId(), invocation.correlationId(), source.label(), o.status(),
                        o.resultCode().code(), o.billable(), o.attempts(), o.upstreamTraceId(), durationMs,
                        o.maskedMobile());
            }
            case VerificationResult.Failed failed -> LOG.infof(
                    "verification aws_request_id=%s correlation_id=%s source=%s error.type=%s upstream_status=%s "
                            + "upstream_code=%s attempts=%d upstream_trace_id=%s duration_ms=%d mobile_masked=%s",
                    invocation.requestId(), invocation.correlationId(), source.label(), failed.failure().type(),
                    failed.failure().upstreamStatus().isPresent() ? failed.failure().upstreamStatus().getAsInt() : null,
                    failed.failure().upstreamCode(), failed.attempts(), failed.upstreamTraceId(), durationMs,
                    failed.maskedMobile());
        }
    }
}
