package cloud.phonematch.verify.verification;

import java.time.Duration;
import java.util.List;

import cloud.phonematch.verify.output.Failure;

/**
 * A cap on what the function may spend, in all and per caller: one charged answer is reserved before every call to the
 * API that may cost money — every attempt, not every invocation — kept when that call was charged or may have been,
 * and given back when the {@link ChargeRule} says it cannot have been.
 */
public interface SpendGuard {

    /** Reserves one charged answer for the next call on {@code caller}'s behalf; bounded by {@code deadline}. */
    Reservation reserve(Caller caller, Deadline deadline);

    /**
     * The least time a reservation needs before the call it is for: no attempt is begun that would leave the
     * reservation less (zero when nothing is reserved).
     */
    default Duration leadTime() {
        return Duration.ZERO;
    }

    /**
     * Gives back a reservation whose call cannot have been charged. Sent at most once: a give-back whose outcome is
     * unknown is not repeated, since it could be counted twice; it leaves the budget lower than it is, never higher.
     * Never throws.
     */
    void release(Reservation.Reserved reservation, Deadline deadline);

    /** What a reservation came to. */
    sealed interface Reservation {
        /** No cap is set: nothing was reserved, nothing to give back. */
        record Unlimited() implements Reservation {
        }

        /** One charged answer is reserved on each of these counters (the day's of all, the caller's). */
        record Reserved(List<String> counters) implements Reservation {
            public Reserved {
                counters = List.copyOf(counters);
            }
        }

        /** No call may be made: the budget is spent, or the counter could not be reached in time. */
        record Refused(Failure failure) implements Reservation {
        }
    }
}
