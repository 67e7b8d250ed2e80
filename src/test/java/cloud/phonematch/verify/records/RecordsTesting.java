package cloud.phonematch.verify.records;

import java.time.Duration;

import cloud.phonematch.verify.output.Outcome;
import cloud.phonematch.verify.output.ResultCode;
import cloud.phonematch.verify.output.VerificationStatus;
import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.TimeSource;

/** What the records' tests share: a deadline with room to spare and a charged answer to keep. */
final class RecordsTesting {
    private RecordsTesting() {
    }

    /** 10 s before Lambda's timeout (9.5 s before the margin, 1 s the shortest attempt). */
    static Deadline tenSeconds() {
        return Deadline.of(TimeSource.SYSTEM, System.nanoTime(), 10_000, Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    /** A charged CONSISTENT answer from the API, as the flow would settle it. */
    static Outcome consistent() {
        return new Outcome(VerificationStatus.CONSISTENT, ResultCode.CONSISTENT, "Verification result is consistent",
                "139****5670", "China Mobile", Outcome.AnsweredBy.API, 1, "req-1", "corr-1", "trace-1", 120, null);
    }
}
