package cloud.phonematch.verify.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import cloud.phonematch.verify.verification.ChargeRule.Call;
import cloud.phonematch.verify.verification.ChargeRule.Effect;
import cloud.phonematch.verify.verification.DeadlineTest.FakeTime;
import cloud.phonematch.verify.verification.Retries.Again;
import cloud.phonematch.verify.verification.Retries.Stop;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;

/**
 * The one retry mechanism, on a clock that only moves when it waits and a fixed random source: what it counts, when it
 * waits, and that every repeat is the charge rule's to allow. The tries are scripted; the calls they saw and the
 * waits are counted here, at the fake.
 */
class RetriesTest {
    /** Three tries, waits bounded by 200 ms doubling to 2 s, 1 s per try, no try shorter than 100 ms. */
    private static final Retries.Schedule SCHEDULE = new Retries.Schedule(3, Duration.ofMillis(200),
            Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMillis(100));

    private final FakeTime time = new FakeTime();
    private final List<Duration> timeouts = new ArrayList<>();

    private Retries retries(ChargeRule rule, double random) {
        return new Retries(rule, time, () -> random);
    }

    /** The deadline's margin is 500 ms; {@code remaining} is before the margin. */
    private Deadline deadline(long remainingMs) {
        return Deadline.of(time, time.nanoTime(), remainingMs + 500, Duration.ofMillis(500), Duration.ofMillis(100));
    }

    /** A call that ends as scripted, one ending per try, and notes the time it was given. */
    private Retries.Try<String, String> scripted(List<Retries.Ending<String, String>> endings) {
        Deque<Retries.Ending<String, String>> left = new ArrayDeque<>(endings);
        return timeout -> {
            timeouts.add(timeout);
            return left.isEmpty() ? new Retries.Done<>("more tries than scripted") : left.removeFirst();
        };
    }

    private static Retries.Ending<String, String> busy(Effect effect) {
        return Retries.Failed.of("busy", effect, Again.AFTER_A_WAIT);
    }

    @Test
    void aDoneTryEndsIt() {
        Retries.Result<String, String> r = retries(ChargeRule.standard(), 0.5).run(Call.READ, SCHEDULE,
                deadline(5_000), scripted(List.of(new Retries.Done<>("value"))));

        assertEquals(Stop.DONE, r.stop());
        assertEquals(Optional.of("value"), r.value());
        assertEquals(1, r.tries());
        assertEquals(List.of(Duration.ofSeconds(1)), timeouts, "the try's own timeout, within the deadline");
    }

    @Test
    void failuresThatCannotHaveHadAnEffectAreTriedAgainUpToTheSchedulesTries() {
        Retries.Result<String, String> r = retries(ChargeRule.standard(), 0.5).run(Call.PAID_VERIFICATION, SCHEDULE,
                deadline(10_000), scripted(List.of(busy(Effect.NONE), busy(Effect.NONE), busy(Effect.NONE))));

        assertEquals(Stop.TRIES, r.stop());
        assertEquals(3, timeouts.size());
        assertFalse(r.anyUnknown());
    }

    @Test
    void aFailureTryingAgainCannotHelpIsFinal() {
        Retries.Result<String, String> r = retries(ChargeRule.standard(), 0.5).run(Call.READ, SCHEDULE,
                deadline(10_000), scripted(List.of(Retries.Failed.of("refused", Effect.NONE, Again.NO))));

        assertEquals(Stop.FINAL, r.stop());
        assertEquals("refused", r.lastFailure().orElseThrow().failure());
        assertEquals(1, timeouts.size());
    }

    @Test
    void aPaidCallThatMayHaveBeenChargedIsNotSentAgainUnlessTheOperatorAcceptedIt() {
        Retries.Result<String, String> standard = retries(ChargeRule.standard(), 0.5).run(Call.PAID_VERIFICATION,
                SCHEDULE, deadline(10_000), scripted(List.of(busy(Effect.UNKNOWN), new Retries.Done<>("answer"))));
        assertEquals(Stop.CHARGE_RULE, standard.stop());
        assertTrue(standard.anyUnknown());
        assertEquals(1, timeouts.size());

        timeouts.clear();
        Retries.Result<String, String> accepted = retries(ChargeRule.of(true), 0.5).run(Call.PAID_VERIFICATION,
                SCHEDULE, deadline(10_000), scripted(List.of(busy(Effect.UNKNOWN), new Retries.Done<>("answer"))));
        assertEquals(Stop.DONE, accepted.stop());
        assertTrue(accepted.anyUnknown(), "the answer came after a call that may have been charged");
        assertEquals(2, timeouts.size());
    }

    @Test
    void readsAndIdempotentWritesAreSentAgainAfterAnUnknownEndingButACountersWriteIsNot() {
        for (Call call : List.of(Call.READ, Call.IDEMPOTENT_WRITE)) {
            timeouts.clear();
            assertEquals(Stop.DONE, retries(ChargeRule.standard(), 0.5).run(call, SCHEDULE, deadline(10_000),
                    scripted(List.of(busy(Effect.UNKNOWN), new Retries.Done<>("v")))).stop(), call.name());
            assertEquals(2, timeouts.size(), call.name());
        }
        timeouts.clear();
        assertEquals(Stop.CHARGE_RULE, retries(ChargeRule.of(true), 0.5).run(Call.COUNTING_WRITE, SCHEDULE,
                deadline(10_000), scripted(List.of(busy(Effect.UNKNOWN), new Retries.Done<>("v")))).stop(),
                "not even when the operator accepted paying twice: a counter would count twice");
        assertEquals(1, timeouts.size());
        timeouts.clear();
        assertEquals(Stop.DONE, retries(ChargeRule.standard(), 0.5).run(Call.COUNTING_WRITE, SCHEDULE,
                deadline(10_000), scripted(List.of(busy(Effect.NONE), new Retries.Done<>("v")))).stop(),
                "a throttled counter's write counted nothing");
    }

    @Test
    void thePeersRetryAfterIsHonouredExactlyWhenItFits() {
        Retries.Ending<String, String> wait2s = new Retries.Failed<>("429", Effect.NONE, Again.AFTER_A_WAIT,
                Optional.of(Duration.ofSeconds(2)));
        long start = time.nanoTime();

        retries(ChargeRule.standard(), 0.9).run(Call.PAID_VERIFICATION, SCHEDULE, deadline(5_000),
                scripted(List.of(wait2s, new Retries.Done<>("v"))));
        assertEquals(Duration.ofSeconds(2), Duration.ofNanos(time.nanoTime() - start));

        timeouts.clear();
        Retries.Result<String, String> tooLong = retries(ChargeRule.standard(), 0.9).run(Call.PAID_VERIFICATION,
                SCHEDULE, deadline(1_900), scripted(List.of(wait2s, new Retries.Done<>("v"))));
        assertEquals(Stop.DEADLINE, tooLong.stop(), "a wait past the deadline is not taken");
        assertEquals("429", tooLong.lastFailure().orElseThrow().failure(), "answered with what is known");
        assertEquals(1, timeouts.size());
    }

    @Test
    void noWaitIsTakenThatWouldLeaveLessThanTheShortestTryAfterIt() {
        // A random of 1 - ε draws the whole first bound, 200 ms: 200 ms + a 100 ms try do not fit in 299 ms.
        Retries.Result<String, String> tight = retries(ChargeRule.standard(), 0.999_999).run(Call.READ, SCHEDULE,
                deadline(299), scripted(List.of(busy(Effect.NONE), new Retries.Done<>("v"))));
        assertEquals(Stop.DEADLINE, tight.stop());
        assertEquals(1, timeouts.size());
        assertEquals(List.of(Duration.ofMillis(299)), timeouts, "the try itself was cut at the deadline");

        timeouts.clear();
        assertEquals(Stop.DONE, retries(ChargeRule.standard(), 0.999_999).run(Call.READ, SCHEDULE, deadline(300),
                scripted(List.of(busy(Effect.NONE), new Retries.Done<>("v")))).stop());
        assertEquals(List.of(Duration.ofMillis(300), Duration.ofMillis(100)), timeouts);
    }

    @Test
    void aDeadlineThatLeavesNoTryMakesNone() {
        Retries.Result<String, String> r = retries(ChargeRule.standard(), 0.5).run(Call.READ, SCHEDULE, deadline(99),
                scripted(List.of(new Retries.Done<>("v"))));

        assertEquals(Stop.DEADLINE, r.stop());
        assertEquals(Optional.empty(), r.lastFailure());
        assertEquals(0, r.tries());
        assertEquals(List.of(), timeouts);
    }

    @Test
    void somethingPutRightIsTriedAgainAtOnceAndNotCounted() {
        long start = time.nanoTime();
        Retries.Result<String, String> r = retries(ChargeRule.standard(), 0.5).run(Call.PAID_VERIFICATION, SCHEDULE,
                deadline(10_000), scripted(List.of(Retries.Failed.of("token", Effect.NONE, Again.AT_ONCE_UNCOUNTED),
                        busy(Effect.NONE), busy(Effect.NONE), busy(Effect.NONE))));

        assertEquals(Stop.TRIES, r.stop());
        assertEquals(4, r.tries(), "three counted tries and the one put right");
        assertEquals(4, timeouts.size());
        // Waits of 100 and 200 ms (random 0.5 of the 200 and 400 ms bounds), none before the try put right.
        assertEquals(Duration.ofMillis(100 + 200), Duration.ofNanos(time.nanoTime() - start));
    }

    @Property(tries = 300)
    void backoffIsFullJitterUnderTheCappedExponentialBound(@ForAll @IntRange(min = 1, max = 40) int repeat,
            @ForAll @DoubleRange(min = 0.0, max = 1.0, maxIncluded = false) @Scale(6) double random) {
        Duration wait = retries(ChargeRule.standard(), random).backoff(repeat, SCHEDULE);
        long bound = Math.min(2_000, 200L << Math.min(30, repeat - 1));
        assertTrue(!wait.isNegative() && wait.toMillis() <= bound, wait + " within " + bound);
    }

    @Test
    void backoffBoundsDoubleThenCap() {
        Retries almostOne = retries(ChargeRule.standard(), 0.999_999);
        assertEquals(200, almostOne.backoff(1, SCHEDULE).toMillis());
        assertEquals(400, almostOne.backoff(2, SCHEDULE).toMillis());
        assertEquals(800, almostOne.backoff(3, SCHEDULE).toMillis());
        assertEquals(2_000, almostOne.backoff(6, SCHEDULE).toMillis());
        assertEquals(0, retries(ChargeRule.standard(), 0.0).backoff(3, SCHEDULE).toMillis());
    }
}
