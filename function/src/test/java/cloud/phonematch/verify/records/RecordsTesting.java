package cloud.phonematch.verify.records;

import java.time.Clock;
import java.time.Duration;

import cloud.phonematch.verify.output.Outcome;
import cloud.phonematch.verify.output.ResultCode;
import cloud.phonematch.verify.output.VerificationStatus;
import cloud.phonematch.verify.verification.ChargeRule;
import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.TimeSource;
import cloud.phonematch.verify.verification.Verdict;
import cloud.phonematch.verify.verification.VerificationRecords.KeyedRequest;
import cloud.phonematch.verify.verification.VerificationResult;

/** What the records' tests share: the shipped timing, a deadline with room to spare and a charged answer to keep. */
final class RecordsTesting {
    /** The defaults: records kept 15 days, locks held 10 s past Lambda's timeout. */
    static final RecordsTiming TIMING = new RecordsTiming(Duration.ofDays(15), Duration.ofSeconds(10));

    private RecordsTesting() {
    }

    /** 10 s before Lambda's timeout (9.5 s before the margin, 1 s the shortest attempt). */
    static Deadline tenSeconds() {
        return Deadline.of(TimeSource.SYSTEM, System.nanoTime(), 10_000, Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    /** A container's records with the shipped timing. */
    static StoredVerificationRecords records(RecordStore store, HashKeys hashKeys, Clock clock, boolean repeatPossiblyCharged) {
        return new StoredVerificationRecords(store, hashKeys, clock, TIMING, ChargeRule.of(repeatPossiblyCharged));
    }

    /** A keyed request from a caller the event does not name, taking a kept answer when there is one. */
    static KeyedRequest keyed(String key, String name, String mobile) {
        return new KeyedRequest(key, null, name, mobile, false);
    }

    /** A charged CONSISTENT verdict from the API. */
    static Verdict consistentVerdict() {
        return new Verdict(VerificationStatus.CONSISTENT, ResultCode.CONSISTENT, "139****5670", Outcome.AnsweredBy.API,
                "trace-1", null);
    }

    /** A charged CONSISTENT answer from the API, as the flow would settle it. */
    static VerificationResult.Answered consistent() {
        return new VerificationResult.Answered(consistentVerdict(), new Outcome(VerificationStatus.CONSISTENT,
                ResultCode.CONSISTENT, "Verification result is consistent", "139****5670", "China Mobile",
                Outcome.AnsweredBy.API, 1, "req-1", "corr-1", "trace-1", 120, null), 120);
    }
}
