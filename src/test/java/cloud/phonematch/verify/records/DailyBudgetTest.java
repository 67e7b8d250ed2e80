package cloud.phonematch.verify.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import cloud.phonematch.verify.output.BudgetExhaustedException;
import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.support.MutableClock;
import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.SpendGuard.Reservation;

/** The daily spend guard on the in-memory store, with a clock that only moves when told to. */
class DailyBudgetTest {
    private final MutableClock clock = new MutableClock(); // 2026-11-30T08:00Z = 16:00 in Beijing
    private final InMemoryRecordStore store = new InMemoryRecordStore();

    private static Deadline deadline() {
        return RecordsTesting.tenSeconds();
    }

    private Reservation.Reserved reserved(DailyBudget budget) {
        return assertInstanceOf(Reservation.Reserved.class, budget.reserve(deadline()));
    }

    @Test
    void keptReservationsUseTheBudgetAndGivenBackOnesDoNot() {
        DailyBudget budget = new DailyBudget(store, clock, 2);

        reserved(budget); // kept: a charged answer
        budget.release(reserved(budget), deadline()); // given back: cannot have been charged
        budget.release(reserved(budget), deadline());
        reserved(budget); // kept: may have been charged

        Failure over = assertInstanceOf(Reservation.Refused.class, budget.reserve(deadline())).failure();
        assertEquals(ErrorType.BUDGET_EXHAUSTED, over.type(), "two kept: 2 of 2");
        assertEquals(429, over.httpStatus());
        assertEquals(false, over.retryable());
        assertEquals(BudgetExhaustedException.class, over.toException("r").getClass());
        // 16:00 in Beijing: eight hours to the next day there.
        assertEquals(8 * 3600, over.retryAfterSeconds().getAsLong());
    }

    @Test
    void theBudgetRenewsAtMidnightInChinaNotInUtc() {
        DailyBudget budget = new DailyBudget(store, clock, 1);
        reserved(budget);
        assertInstanceOf(Reservation.Refused.class, budget.reserve(deadline()));

        clock.advance(Duration.ofHours(7).plusMinutes(59)); // 23:59 in Beijing, 15:59 UTC
        assertInstanceOf(Reservation.Refused.class, budget.reserve(deadline()));
        clock.advance(Duration.ofMinutes(1)); // midnight in Beijing, still 30 November in UTC
        assertInstanceOf(Reservation.Reserved.class, budget.reserve(deadline()));
    }

    @Test
    void noCapMeansNoCounterAtAll() {
        DailyBudget budget = new DailyBudget(new FailingRecordStore(), clock, 0);

        assertInstanceOf(Reservation.Unlimited.class, budget.reserve(deadline()));
    }

    @Test
    void aCounterThatCannotBeReachedRefusesTheCall() {
        DailyBudget budget = new DailyBudget(new FailingRecordStore(), clock, 5);

        Failure refused = assertInstanceOf(Reservation.Refused.class, budget.reserve(deadline())).failure();
        assertEquals(ErrorType.RECORDS_UNAVAILABLE, refused.type());
        assertTrue(refused.retryable());
        budget.release(new Reservation.Reserved("budget#2026-11-30"), deadline()); // never throws
    }

    @Test
    void theCounterIsNamedByTheDayInChinaAndKeptTwoDaysAfterIt() {
        reserved(new DailyBudget(store, clock, 3));

        assertTrue(store.incrementBelow("budget#2026-11-30", 2, Instant.EPOCH, deadline()), "1 of 2 counted");
        assertEquals(false, store.incrementBelow("budget#2026-11-30", 2, Instant.EPOCH, deadline()));
    }
}
