package cloud.phonematch.verify.verification;

import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * The function's one retry mechanism, for every call that leaves it: the paid API, the records store, Secrets
 * Manager. A call is tried until it is done, trying again cannot help, the {@link ChargeRule} forbids another try,
 * the tries run out, or the invocation's {@link Deadline} leaves no room for another. The rule decides; this class
 * only counts and waits.
 * <ul>
 * <li>No try starts with less than {@link Schedule#minTry()} left before the deadline, and each may take at most
 * {@link Schedule#tryTimeout()} and never past the deadline.</li>
 * <li>Waits are exponential with full jitter — uniform in {@code [0, min(maxDelay, baseDelay * 2^(n-1)))]} before the
 * n-th repeat — unless the peer said how long to wait (a 429's {@code Retry-After}), which is honoured exactly.</li>
 * <li>No wait is taken that would leave less than {@link Schedule#minTry()} for the try after it.</li>
 * </ul>
 * Pure but for waiting: time, the jitter's random source and the rule are parameters.
 */
public final class Retries {

    /**
     * How often and how far apart.
     *
     * @param maxTries tries in all, the first included (a try that ends {@link Again#AT_ONCE_UNCOUNTED} is not counted)
     * @param baseDelay the bound of the first wait
     * @param maxDelay the largest bound of a wait
     * @param tryTimeout the longest one try may take
     * @param minTry the shortest try worth starting
     */
    public record Schedule(int maxTries, Duration baseDelay, Duration maxDelay, Duration tryTimeout, Duration minTry) {
        public Schedule {
            if (maxTries < 1) {
                throw new IllegalArgumentException("a schedule needs at least one try");
            }
        }
    }

    /** Whether trying again can help, by the nature of the failure (the charge rule then says whether it may). */
    public enum Again {
        /** Trying again cannot help (a refusal that will be repeated, a setting only a person can fix). */
        NO,
        /** The peer or the way to it was busy: another try after a wait may succeed. */
        AFTER_A_WAIT,
        /** Something was put right before the next try (a rotated token was read): at once, and not counted. */
        AT_ONCE_UNCOUNTED
    }

    /** How one try ended. */
    public sealed interface Ending<T, F> {
    }

    /** It was done: a value the caller can use (which may be a refusal the caller reads as an answer). */
    public record Done<T, F>(T value) implements Ending<T, F> {
    }

    /**
     * It failed.
     *
     * @param failure what the caller makes of it
     * @param effect what the charge rule says of the try's effect
     * @param again whether trying again can help
     * @param waitAtLeast how long the peer asked to be left alone, when it said
     */
    public record Failed<T, F>(F failure, ChargeRule.Effect effect, Again again, Optional<Duration> waitAtLeast)
            implements Ending<T, F> {

        public static <T, F> Failed<T, F> of(F failure, ChargeRule.Effect effect, Again again) {
            return new Failed<>(failure, effect, again, Optional.empty());
        }
    }

    /** One try: given how long it may take. */
    @FunctionalInterface
    public interface Try<T, F> {
        Ending<T, F> attempt(Duration timeout);
    }

    /** Why the tries stopped. */
    public enum Stop {
        /** A try was done. */
        DONE,
        /** Trying again cannot help. */
        FINAL,
        /** The charge rule forbids another try: the last one may have had its effect. */
        CHARGE_RULE,
        /** The schedule's tries are used up. */
        TRIES,
        /** No (further) try fits before the deadline. */
        DEADLINE
    }

    /**
     * What the tries came to.
     *
     * @param value the done try's value, when one was done
     * @param lastFailure the last failed try, if any failed (none when the deadline allowed no try at all)
     * @param tries tries made (those not counted included)
     * @param anyUnknown whether any try ended with {@link ChargeRule.Effect#UNKNOWN}
     */
    public record Result<T, F>(Stop stop, Optional<T> value, Optional<Failed<T, F>> lastFailure, int tries,
            boolean anyUnknown) {
    }

    private final ChargeRule rule;
    private final TimeSource time;
    private final DoubleSupplier random;

    /** @param random uniform in [0, 1): the jitter's source */
    public Retries(ChargeRule rule, TimeSource time, DoubleSupplier random) {
        this.rule = rule;
        this.time = time;
        this.random = random;
    }

    public ChargeRule rule() {
        return rule;
    }

    /** Tries {@code call}, of kind {@code kind}, as the schedule and the rule allow before {@code deadline}. */
    public <T, F> Result<T, F> run(ChargeRule.Call kind, Schedule schedule, Deadline deadline, Try<T, F> call) {
        int tries = 0;
        int counted = 0;
        boolean anyUnknown = false;
        Failed<T, F> last = null;
        while (true) {
            if (deadline.remaining().compareTo(schedule.minTry()) < 0) {
                return new Result<>(Stop.DEADLINE, Optional.empty(), Optional.ofNullable(last), tries, anyUnknown);
            }
            Ending<T, F> ending = call.attempt(deadline.remainingAtMost(schedule.tryTimeout()));
            tries++;
            if (ending instanceof Done<T, F> done) {
                return new Result<>(Stop.DONE, Optional.of(done.value()), Optional.ofNullable(last), tries,
                        anyUnknown);
            }
            Failed<T, F> failed = (Failed<T, F>) ending;
            last = failed;
            anyUnknown |= failed.effect() == ChargeRule.Effect.UNKNOWN;
            if (failed.again() != Again.AT_ONCE_UNCOUNTED) {
                counted++;
            }
            Stop stop = stopAfter(failed, kind, counted, schedule);
            if (stop != null) {
                return new Result<>(stop, Optional.empty(), Optional.of(failed), tries, anyUnknown);
            }
            int repeat = counted;
            Duration wait = failed.again() == Again.AT_ONCE_UNCOUNTED ? Duration.ZERO
                    : failed.waitAtLeast().orElseGet(() -> backoff(repeat, schedule));
            if (deadline.remaining().minus(wait).compareTo(schedule.minTry()) < 0) {
                return new Result<>(Stop.DEADLINE, Optional.empty(), Optional.of(failed), tries, anyUnknown);
            }
            try {
                time.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Result<>(Stop.DEADLINE, Optional.empty(), Optional.of(failed), tries, anyUnknown);
            }
        }
    }

    /** Why no further try is made after this one, or null when one may be. */
    private Stop stopAfter(Failed<?, ?> failed, ChargeRule.Call kind, int counted, Schedule schedule) {
        if (failed.again() == Again.NO) {
            return Stop.FINAL;
        }
        if (!rule.mayRepeat(kind, failed.effect())) {
            return Stop.CHARGE_RULE;
        }
        if (failed.again() == Again.AFTER_A_WAIT && counted >= schedule.maxTries()) {
            return Stop.TRIES;
        }
        return null;
    }

    /** Full jitter: uniform in [0, min(max, base * 2^(n-1))] before the n-th repeat. */
    Duration backoff(int repeat, Schedule schedule) {
        long bound = schedule.baseDelay().toMillis() << Math.min(30, Math.max(0, repeat - 1));
        bound = Math.min(schedule.maxDelay().toMillis(), bound);
        return Duration.ofMillis((long) Math.floor(random.getAsDouble() * (bound + 1)));
    }
}
