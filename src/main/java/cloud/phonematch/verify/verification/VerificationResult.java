package cloud.phonematch.verify.verification;

import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.output.Outcome;

/** The end of a verification: an answer or a failure, with what the summary log line needs. */
public sealed interface VerificationResult {

    int attempts();

    String maskedMobile();

    record Answered(Outcome outcome) implements VerificationResult {
        @Override
        public int attempts() {
            return outcome.attempts();
        }

        @Override
        public String maskedMobile() {
            return outcome.maskedMobile();
        }
    }

    record Failed(Failure failure, int attempts, String maskedMobile, String upstreamTraceId)
            implements VerificationResult {
    }
}
