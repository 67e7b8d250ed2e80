package cloud.phonematch.verify.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Outcome;
import cloud.phonematch.verify.output.ResultCode;
import cloud.phonematch.verify.support.MutableClock;
import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.FailureException;
import cloud.phonematch.verify.verification.Verdict;

/** Kept answers on the in-memory store, with a clock that only moves when told to. */
class StoredResultReuseTest {
    private static final Duration WINDOW = Duration.ofDays(30);
    private final MutableClock clock = new MutableClock();
    private final InMemoryRecordStore store = new InMemoryRecordStore();
    private final HashKeys keys = HashKeys.perContainer();
    private final StoredResultReuse reuse = new StoredResultReuse(store, keys, clock, WINDOW);

    private static Deadline deadline() {
        return RecordsTesting.tenSeconds();
    }

    private static Verdict answer(ResultCode code, String trace) {
        return new Verdict(code.status().orElseThrow(), code, "139****5670", Outcome.AnsweredBy.API, trace, null);
    }

    @Test
    void aKeptAnswerIsGivenAgainWithinTheWindowOnlyForTheSamePerson() {
        reuse.remember("张三丰", "13912345670", answer(ResultCode.INCONSISTENT, "t1"), deadline());

        Verdict kept = reuse.recent("张三丰", "13912345670", deadline()).orElseThrow();
        assertEquals(answer(ResultCode.INCONSISTENT, "t1"), kept);

        assertEquals(Optional.empty(), reuse.recent("张三丰", "13912345671", deadline()));
        assertEquals(Optional.empty(), reuse.recent("张三", "13912345670", deadline()));
        clock.advance(WINDOW.plusSeconds(1));
        assertEquals(Optional.empty(), reuse.recent("张三丰", "13912345670", deadline()), "past the window");
    }

    @Test
    void aNewerAnswerReplacesTheKeptOne() {
        reuse.remember("张三丰", "13912345670", answer(ResultCode.INCONSISTENT, "t1"), deadline());
        reuse.remember("张三丰", "13912345670", answer(ResultCode.CONSISTENT, "t2"), deadline());

        assertEquals("t2", reuse.recent("张三丰", "13912345670", deadline()).orElseThrow().upstreamTraceId());
        assertEquals(1, store.size());
        assertFalse(store.snapshot().get(0).toString().contains("13912345670"), "the record holds an HMAC");
    }

    @Test
    void aStoreThatCannotAnswerRefusesRatherThanPayOnAGuess() {
        StoredResultReuse down = new StoredResultReuse(new FailingRecordStore(), keys, clock, WINDOW);

        FailureException e = assertThrows(FailureException.class,
                () -> down.recent("张三丰", "13912345670", deadline()));
        assertEquals(ErrorType.RECORDS_UNAVAILABLE, e.failure().type());
        down.remember("张三丰", "13912345670", answer(ResultCode.CONSISTENT, "t"), deadline());
    }

    @Test
    void aZeroWindowKeepsNothing() {
        assertFalse(new StoredResultReuse(store, keys, clock, Duration.ZERO).enabled());
        assertTrue(reuse.enabled());
    }
}
