package cloud.phonematch.verify.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The invocation's deadline, on a clock that only moves when told to. */
class DeadlineTest {
    private final FakeTime time = new FakeTime();

    @Test
    void deadlineWithoutALambdaDeadlineAssumesTheTemplatesTimeout() {
        Deadline d = Deadline.of(time, time.nanoTime(), -5, Duration.ofMillis(500), Duration.ofMillis(100));
        assertEquals(Deadline.ASSUMED_BUDGET.minusMillis(500), d.remaining());
        time.advance(Duration.ofMillis(9_350));
        assertFalse(d.passed(), "150 ms left: an attempt may still start");
        time.advance(Duration.ofMillis(100));
        assertTrue(d.passed(), "50 ms left: too short for an attempt");
    }

    @Test
    void noAttemptStartsWithLessThanTheMinimumAttemptTimeLeft() {
        Deadline d = Deadline.of(time, time.nanoTime(), 2_000, Duration.ofMillis(500), Duration.ofSeconds(1));

        assertTrue(d.allows(Duration.ofMillis(500)), "1.5 s left: a 500 ms wait still leaves a full attempt");
        assertFalse(d.allows(Duration.ofMillis(501)));
        time.advance(Duration.ofMillis(499));
        assertFalse(d.passed(), "1,001 ms left");
        time.advance(Duration.ofMillis(2));
        assertTrue(d.passed(), "999 ms left: an attempt could be cut before a realistic answer");
    }

    @Test
    void theTokenReadLeavesTimeForOneAttemptAndCanBeCappedFurther() {
        Deadline d = Deadline.of(time, time.nanoTime(), 3_000, Duration.ofMillis(500), Duration.ofSeconds(1));

        assertEquals(Duration.ofMillis(1_500), d.leavingOneAttempt().remaining());
        assertEquals(Duration.ofMillis(700), d.leavingOneAttempt().within(Duration.ofMillis(700)).remaining());
        assertEquals(Duration.ofMillis(1_500), d.leavingOneAttempt().within(Duration.ofSeconds(9)).remaining());
    }

    /** A clock that only moves when told to. */
    static final class FakeTime implements TimeSource {
        private long now = 1_000_000_000L;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(Duration duration) {
            advance(duration);
        }

        void advance(Duration d) {
            now += d.toNanos();
        }
    }
}
