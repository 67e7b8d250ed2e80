package cloud.phonematch.verify.verification;

import java.util.Objects;

import cloud.phonematch.verify.output.Outcome;
import cloud.phonematch.verify.output.ResultCode;
import cloud.phonematch.verify.output.VerificationStatus;
import cloud.phonematch.verify.precheck.PreCheckResult;

/**
 * What an answer found, in no language: the status and result code, the masked number, who answered, the API's trace
 * id and, for a local refusal, why. It is what the records keep (for a repeat of an idempotency key, for another
 * request for the same person); the {@link Outcome} a caller reads is rendered from it per request, in that request's
 * language ({@link OutcomeRendering}).
 *
 * @param rejection why the local pre-check refused the input; null for every answer that came from upstream
 */
public record Verdict(VerificationStatus status, ResultCode code, String maskedMobile, Outcome.AnsweredBy answeredBy,
        String upstreamTraceId, PreCheckResult.Reason rejection) {

    public Verdict {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(answeredBy, "answeredBy");
        if (code.status().orElse(null) != status) {
            throw new IllegalArgumentException("result code " + code.code() + " is not status " + status);
        }
    }

    /** Whether the answer is one the API charges for (0 or 1, from the API itself). */
    public boolean chargedKind() {
        return answeredBy == Outcome.AnsweredBy.API && status.billable();
    }
}
