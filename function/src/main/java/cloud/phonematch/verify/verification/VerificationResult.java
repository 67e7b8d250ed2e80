package cloud.phonematch.verify.verification;

import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.output.Outcome;

/** The end of a verification: an answer or a failure, with what the summary line and the metrics need. */
public sealed interface VerificationResult {

    int attempts();

    String maskedMobile();

    /** Time spent waiting for the API, all attempts together (0 when no call was made). */
    long upstreamMs();

    /**
     * @param verdict what the answer found, in no language: what the records keep
     * @param outcome the answer as this request's caller reads it
     */
    record Answered(Verdict verdict, Outcome outcome, long upstreamMs) implements VerificationResult {
        @Override
        public int attempts() {
            return outcome.attempts();
        }

        @Override
        public String maskedMobile() {
            return outcome.maskedMobile();
        }
    }

    record Failed(Failure failure, int attempts, String maskedMobile, String upstreamTraceId, long upstreamMs)
            implements VerificationResult {

        /** A refusal of the request itself, before a verification could start: the failure says nothing of calls. */
        public static Failed requestRefused(Failure failure, String maskedMobile) {
            return new Failed(failure, 0, maskedMobile, null, 0);
        }

        /** A verification that ended before it sent anything: the failure says so ({@code attempts} 0). */
        public static Failed withoutACall(Failure failure, String maskedMobile) {
            return new Failed(failure.withCalls(Failure.Calls.NONE), 0, maskedMobile, null, 0);
        }
    }
}
