package cloud.phonematch.verify.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.output.FailureJson;
import cloud.phonematch.verify.output.OutcomeUnknownException;
import cloud.phonematch.verify.output.UpstreamUnavailableException;
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

    /** 500 ms margin; 100 ms is the shortest attempt worth starting. */
    private Deadline deadline(long remainingMs) {
        return Deadline.of(time, time.nanoTime(), remainingMs, Duration.ofMillis(500), Duration.ofMillis(100));
    }

    private static UpstreamAnswer.Refused refused(ErrorType type, RefusalKind kind) {
        return new UpstreamAnswer.Refused(Failure.of(type, "m"), kind, null);
    }

    private static UpstreamAnswer.Refused maybeCharged(ErrorType type) {
        return new UpstreamAnswer.Refused(Failure.of(type, "m").maybeCharged(), RefusalKind.TRANSIENT, null);
    }

    @Test
    void unchargedRefusalsAreRetriedWithinTheAttemptBudget() {
        var p = policy(false, 0.5);
        var r = refused(ErrorType.UPSTREAM_UNAVAILABLE, RefusalKind.TRANSIENT);

        assertInstanceOf(Decision.RetryAfter.class, p.afterRefusal(r, 1, deadline(10_000)));
        assertInstanceOf(Decision.RetryAfter.class, p.afterRefusal(r, 2, deadline(10_000)));
        assertInstanceOf(Decision.GiveUp.class, p.afterRefusal(r, 3, deadline(10_000)));
    }

    @ParameterizedTest
    @EnumSource(value = RefusalKind.class, names = { "FINAL", "CIRCUIT_OPEN", "TOKEN_REJECTED" })
    void everythingElseIsFinalByDefault(RefusalKind kind) {
        var d = policy(false, 0.5).afterRefusal(refused(ErrorType.UPSTREAM_CONTRACT, kind), 1, deadline(10_000));
        assertInstanceOf(Decision.GiveUp.class, d);
    }

    @Test
    void maybeChargedIsRetriedOnlyWhenTheOperatorOptsIn() {
        var r = maybeCharged(ErrorType.UPSTREAM_TIMEOUT);
        assertInstanceOf(Decision.GiveUp.class, policy(false, 0.5).afterRefusal(r, 1, deadline(10_000)));
        assertInstanceOf(Decision.RetryAfter.class, policy(true, 0.5).afterRefusal(r, 1, deadline(10_000)));
    }

    @Test
    void aPossiblyChargedFailureIsNotRetryableAndIsOutcomeUnknown() {
        Failure f = policy(false, 0.5).finalFailure(maybeCharged(ErrorType.UPSTREAM_TIMEOUT).failure(), false);

        assertTrue(f.outcomeUnknown());
        assertFalse(f.retryable(), "UPSTREAM_TIMEOUT is retryable by type, but this one may have been paid for");
        assertEquals(OutcomeUnknownException.class, f.toException("r").getClass());
        assertTrue(FailureJson.toJson(f, "r").path("error").path("outcome_unknown").asBoolean());
        assertFalse(FailureJson.toJson(f, "r").path("error").path("retryable").asBoolean());
    }

    @Test
    void anUnchargedLastFailureAfterAPossiblyChargedCallIsOutcomeUnknownToo() {
        Failure last = Failure.of(ErrorType.UPSTREAM_UNAVAILABLE, "m");

        Failure f = policy(true, 0.5).finalFailure(last, true);

        assertTrue(f.outcomeUnknown(), "an earlier call of the invocation may have been paid for");
        assertEquals(OutcomeUnknownException.class, f.toException("r").getClass());
        assertEquals(502, f.httpStatus(), "503 would tell an HTTP client nothing was handled");
        assertFalse(policy(false, 0.5).finalFailure(last, false).outcomeUnknown());
        assertEquals(UpstreamUnavailableException.class,
                policy(false, 0.5).finalFailure(last, false).toException("r").getClass());
    }

    @Test
    void theOperatorsOptInMakesAPossiblyChargedFailureRetryableButKeepsItsClass() {
        Failure f = policy(true, 0.5).finalFailure(maybeCharged(ErrorType.UPSTREAM_TIMEOUT).failure(), false);

        assertTrue(f.retryable());
        assertTrue(f.outcomeUnknown());
        assertEquals(OutcomeUnknownException.class, f.toException("r").getClass(),
                "a workflow retries it only where the operator listed OutcomeUnknownException");
    }

    @Test
    void unchargedFailuresKeepTheirTypesRetryabilityAndClass() {
        for (ErrorType type : ErrorType.values()) {
            Failure f = policy(false, 0.5).finalFailure(Failure.of(type, "m"), false);
            assertEquals(type.retryable(), f.retryable(), type.name());
            assertFalse(f.outcomeUnknown(), type.name());
            assertEquals(type.toException(f, "r").getClass(), f.toException("r").getClass(), type.name());
        }
    }

    @Test
    void retryAfterIsHonouredExactlyWhenItFits() {
        var r = new UpstreamAnswer.Refused(Failure.of(ErrorType.RATE_LIMITED, "m").withRetryAfter(2),
                RefusalKind.TRANSIENT, null);
        var fits = assertInstanceOf(Decision.RetryAfter.class, policy(false, 0.9).afterRefusal(r, 1, deadline(5_000)));
        assertEquals(Duration.ofSeconds(2), fits.delay());

        var tooLong = assertInstanceOf(Decision.GiveUp.class, policy(false, 0.9).afterRefusal(r, 1, deadline(2_400)));
        assertEquals(2, tooLong.failure().retryAfterSeconds().getAsLong());
    }

    @Test
    void noWaitThatWouldLeaveNoTimeForTheNextAttempt() {
        var r = refused(ErrorType.UPSTREAM_UNAVAILABLE, RefusalKind.TRANSIENT);
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
        Deadline d = Deadline.of(time, time.nanoTime(), -5, Duration.ofMillis(500), Duration.ofMillis(100));
        assertEquals(Deadline.ASSUMED_BUDGET.minusMillis(500), d.remaining());
        time.advance(Duration.ofMillis(9_350));
        assertTrue(!d.passed(), "150 ms left: an attempt may still start");
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
