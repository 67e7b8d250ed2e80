package cloud.phonematch.verify.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.verification.ChargeSafeRetryPolicy.Decision;
import cloud.phonematch.verify.verification.UpstreamAnswer.RefusalKind;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;

/** The charge-safety rule and the backoff arithmetic, with a fake clock and a fixed random source. */
class ChargeSafeRetryPolicyTest {
    private final FakeTime time = new FakeTime();

    private ChargeSafeRetryPolicy policy(boolean retryOnTimeout, double random) {
        return new ChargeSafeRetryPolicy(3, Duration.ofMillis(200), Duration.ofSeconds(2), retryOnTimeout,
                () -> random);
    }

    private Deadline deadline(long remainingMs) {
        return Deadline.of(time, time.nanoTime(), remainingMs, Duration.ofMillis(500));
    }

    private static UpstreamAnswer.Refused refused(ErrorType type, RefusalKind kind) {
        return new UpstreamAnswer.Refused(Failure.of(type, "m"), kind, null);
    }

    @Test
    void unchargedRefusalsAreRetriedWithinTheAttemptBudget() {
        var p = policy(false, 0.5);
        var r = refused(ErrorType.UPSTREAM_UNAVAILABLE, RefusalKind.UNCHARGED_TRANSIENT);

        assertInstanceOf(Decision.RetryAfter.class, p.afterRefusal(r, 1, deadline(10_000)));
        assertInstanceOf(Decision.RetryAfter.class, p.afterRefusal(r, 2, deadline(10_000)));
        assertInstanceOf(Decision.GiveUp.class, p.afterRefusal(r, 3, deadline(10_000)));
    }

    @ParameterizedTest
    @EnumSource(value = RefusalKind.class, names = { "FINAL", "CIRCUIT_OPEN", "TOKEN_REJECTED", "MAYBE_CHARGED" })
    void everythingElseIsFinalByDefault(RefusalKind kind) {
        var d = policy(false, 0.5).afterRefusal(refused(ErrorType.UPSTREAM_CONTRACT, kind), 1, deadline(10_000));
        assertInstanceOf(Decision.GiveUp.class, d);
    }

    @Test
    void maybeChargedIsRetriedOnlyWhenTheOperatorOptsIn() {
        var r = refused(ErrorType.UPSTREAM_TIMEOUT, RefusalKind.MAYBE_CHARGED);
        assertInstanceOf(Decision.GiveUp.class, policy(false, 0.5).afterRefusal(r, 1, deadline(10_000)));
        assertInstanceOf(Decision.RetryAfter.class, policy(true, 0.5).afterRefusal(r, 1, deadline(10_000)));
    }

    @Test
    void retryAfterIsHonouredExactlyWhenItFits() {
        var r = new UpstreamAnswer.Refused(Failure.of(ErrorType.RATE_LIMITED, "m").withRetryAfter(2),
                RefusalKind.UNCHARGED_TRANSIENT, null);
        var fits = assertInstanceOf(Decision.RetryAfter.class, policy(false, 0.9).afterRefusal(r, 1, deadline(5_000)));
        assertEquals(Duration.ofSeconds(2), fits.delay());

        var tooLong = assertInstanceOf(Decision.GiveUp.class, policy(false, 0.9).afterRefusal(r, 1, deadline(2_400)));
        assertEquals(2, tooLong.failure().retryAfterSeconds().getAsLong());
    }

    @Test
    void noWaitThatWouldLeaveNoTimeForTheNextAttempt() {
        var r = refused(ErrorType.UPSTREAM_UNAVAILABLE, RefusalKind.UNCHARGED_TRANSIENT);
        // random 1.0-ε gives the full bound of 200 ms; 500 ms margin + 200 ms wait + 100 ms attempt > 750 ms.
        assertInstanceOf(Decision.GiveUp.class, policy(false, 0.999).afterRefusal(r, 1, deadline(750)));
        assertInstanceOf(Decision.RetryAfter.class, policy(false, 0.999).afterRefusal(r, 1, deadline(900)));
    }

    @Property(tries = 300)
    void backoffIsFullJitterUnderTheCappedExponentialBound(@ForAll @IntRange(min = 1, max = 40) int retry,
            @ForAll @DoubleRange(min = 0.0, max = 1.0, maxIncluded = false) @Scale(6) double random) {
        Duration wait = policy(false, random).backoff(retry);
        long bound = Math.min(2_000, 200L << Math.min(30, retry - 1));
        assertTrue(!wait.isNegative() && wait.toMillis() <= bound, wait + " within " + bound);
    }

    @Test
    void backoffBoundsDoubleThenCap() {
        assertEquals(200, policy(false, 0.999999).backoff(1).toMillis());
        assertEquals(400, policy(false, 0.999999).backoff(2).toMillis());
        assertEquals(800, policy(false, 0.999999).backoff(3).toMillis());
        assertEquals(2_000, policy(false, 0.999999).backoff(6).toMillis());
        assertEquals(0, policy(false, 0.0).backoff(3).toMillis());
    }

    @Test
    void deadlineWithoutALambdaDeadlineAssumesTheTemplatesTimeout() {
        Deadline d = Deadline.of(time, time.nanoTime(), -5, Duration.ofMillis(500));
        assertEquals(Deadline.ASSUMED_BUDGET.minusMillis(500), d.remaining());
        time.advance(Duration.ofMillis(9_350));
        assertTrue(!d.passed(), "150 ms left: an attempt may still start");
        time.advance(Duration.ofMillis(100));
        assertTrue(d.passed(), "50 ms left: too short for an attempt");
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
