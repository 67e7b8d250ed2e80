package cloud.phonematch.verify.verification;

import cloud.phonematch.verify.output.Failure;

/**
 * A cap on what the function may spend: one charged answer is reserved before any paid call, and given back
 * unless the invocation was, or may have been, charged.
 */
public interface SpendGuard {

    /** Reserves one charged answer; bounded by {@code deadline}. */
    Reservation reserve(Deadline deadline);

    /**
     * Keeps the reservation when the invocation was charged (a billable answer) or may have been (outcome unknown);
     * gives it back otherwise. Never throws: a give-back that fails leaves the budget lower than it is, never higher.
     */
    void settle(Reservation.Reserved reservation, VerificationResult result, Deadline deadline);

    /** What a reservation came to. */
    sealed interface Reservation {
        /** No cap is set: nothing was reserved, nothing to settle. */
        record Unlimited() implements Reservation {
        }

        /** One charged answer is reserved on this counter until settled. */
        record Reserved(String counter) implements Reservation {
        }

        /** No call may be made: the budget is spent, or the counter could not be reached in time. */
        record Refused(Failure failure) implements Reservation {
        }
    }
}
