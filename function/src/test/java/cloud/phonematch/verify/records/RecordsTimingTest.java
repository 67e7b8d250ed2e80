package cloud.phonematch.verify.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The records' timing invariants, and the one line that names a setting breaking them. */
class RecordsTimingTest {

    @Test
    void aRecordMustOutliveEveryLockAndTheRedriveWindow() {
        assertEquals(Duration.ofDays(14).plusMinutes(15).plusSeconds(10), RecordsTiming.shortestTtl(Duration.ofSeconds(10)));
        assertEquals(Optional.empty(), RecordsTiming.problem(Duration.ofDays(15), Duration.ofSeconds(10)));
        assertEquals(Optional.empty(), RecordsTiming.problem(RecordsTiming.shortestTtl(Duration.ofSeconds(10)),
                Duration.ofSeconds(10)), "exactly the shortest is enough");
    }

    @Test
    void aTtlShorterThanThatIsRefusedNamingTheSetting() {
        assertEquals(Optional.of("VERIFY_IDEMPOTENCY_TTL is 1d; it must be at least 14d 15m 10s (Lambda's longest"
                + " timeout, 15 min, plus VERIFY_CLOCK_SKEW_MARGIN, plus Step Functions' redrive window, 14 days), or a"
                + " late repeat of a key could pay again"),
                RecordsTiming.problem(Duration.ofHours(24), Duration.ofSeconds(10)));
        assertEquals(Optional.of("VERIFY_IDEMPOTENCY_TTL is 14d 15m 9s 999ms; it must be at least 14d 15m 10s"
                + " (Lambda's longest timeout, 15 min, plus VERIFY_CLOCK_SKEW_MARGIN, plus Step Functions' redrive"
                + " window, 14 days), or a late repeat of a key could pay again"),
                RecordsTiming.problem(Duration.ofDays(14).plusMinutes(15).plusMillis(9_999), Duration.ofSeconds(10)));
    }

    @Test
    void theMarginIsBoundedAndChecksFirst() {
        assertEquals(Optional.of("VERIFY_CLOCK_SKEW_MARGIN is 500ms; it must be from 1s to 5m"),
                RecordsTiming.problem(Duration.ofDays(15), Duration.ofMillis(500)));
        assertEquals(Optional.of("VERIFY_CLOCK_SKEW_MARGIN is 6m; it must be from 1s to 5m"),
                RecordsTiming.problem(Duration.ofDays(15), Duration.ofMinutes(6)));
        assertEquals(Optional.empty(), RecordsTiming.problem(Duration.ofDays(15), Duration.ofMinutes(5)));
    }

    @Test
    void timingThatBreaksAnInvariantCannotBeMade() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RecordsTiming(Duration.ofHours(24), Duration.ofSeconds(10)));
        assertEquals(RecordsTiming.problem(Duration.ofHours(24), Duration.ofSeconds(10)).orElseThrow(), e.getMessage());
    }
}
