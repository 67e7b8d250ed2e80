package cloud.phonematch.verify.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import cloud.phonematch.verify.output.BudgetExhaustedException;
import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.support.MutableClock;
import cloud.phonematch.verify.verification.Caller;
import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.SpendGuard.Reservation;

/** The daily spend guard on the in-memory store, with a clock that only moves when told to. */
class DailyBudgetSpendGuardTest {
    private final MutableClock clock = new MutableClock(); // 2026-11-30T08:00Z = 16:00 in Beijing
    private final InMemoryRecordStore store = new InMemoryRecordStore();

    private static Deadline deadline() {
        return RecordsTesting.tenSeconds();
    }

    private static final Caller ALICE = Caller.authenticated("iam:arn:aws:iam::111122223333:user/alice");
    private static final byte[] HASH_KEY = "a hash key of at least thirty-two characters".getBytes();
    private static final HashKeys KEYS = deadline -> new RecordHashing(HASH_KEY);

    /** A budget of all callers only. */
    private DailyBudgetSpendGuard budget(RecordStore on, long limit) {
        return new DailyBudgetSpendGuard(on, KEYS, clock, limit, 0);
    }

    private Reservation.Reserved reserved(DailyBudgetSpendGuard budget) {
        return reserved(budget, Caller.DIRECT);
    }

    private static Reservation.Reserved reserved(DailyBudgetSpendGuard budget, Caller caller) {
        return assertInstanceOf(Reservation.Reserved.class, budget.reserve(caller, deadline()));
    }

    private static Failure refused(DailyBudgetSpendGuard budget, Caller caller) {
        return assertInstanceOf(Reservation.Refused.class, budget.reserve(caller, deadline())).failure();
    }

    @Test
    void keptReservationsUseTheBudgetAndGivenBackOnesDoNot() {
        DailyBudgetSpendGuard budget = budget(store, 2);

        reserved(budget); // kept: a charged answer
        budget.release(reserved(budget), deadline()); // given back: cannot have been charged
        budget.release(reserved(budget), deadline());
        reserved(budget); // kept: may have been charged

        Failure over = assertInstanceOf(Reservation.Refused.class, budget.reserve(Caller.DIRECT, deadline())).failure();
        assertEquals(ErrorType.BUDGET_EXHAUSTED, over.type(), "two kept: 2 of 2");
        assertEquals(429, over.httpStatus());
        assertEquals(false, over.retryable());
        assertEquals(BudgetExhaustedException.class, over.toException("r").getClass());
        // 16:00 in Beijing: eight hours to the next day there.
        assertEquals(8 * 3600, over.retryAfterSeconds().getAsLong());
    }

    @Test
    void theBudgetRenewsAtMidnightInChinaNotInUtc() {
        DailyBudgetSpendGuard budget = budget(store, 1);
        reserved(budget);
        assertInstanceOf(Reservation.Refused.class, budget.reserve(Caller.DIRECT, deadline()));

        clock.advance(Duration.ofHours(7).plusMinutes(59)); // 23:59 in Beijing, 15:59 UTC
        assertInstanceOf(Reservation.Refused.class, budget.reserve(Caller.DIRECT, deadline()));
        clock.advance(Duration.ofMinutes(1)); // midnight in Beijing, still 30 November in UTC
        assertInstanceOf(Reservation.Reserved.class, budget.reserve(Caller.DIRECT, deadline()));
    }

    @Test
    void noCapMeansNoCounterAtAll() {
        DailyBudgetSpendGuard budget = budget(new FailingRecordStore(), 0);

        assertInstanceOf(Reservation.Unlimited.class, budget.reserve(Caller.DIRECT, deadline()));
    }

    @Test
    void aCounterThatCannotBeReachedRefusesTheCall() {
        DailyBudgetSpendGuard budget = budget(new FailingRecordStore(), 5);

        Failure refused = assertInstanceOf(Reservation.Refused.class, budget.reserve(Caller.DIRECT, deadline())).failure();
        assertEquals(ErrorType.RECORDS_UNAVAILABLE, refused.type());
        assertTrue(refused.retryable());
        budget.release(new Reservation.Reserved(List.of("budget#2026-11-30")), deadline()); // never throws
    }

    @Test
    void theCounterIsNamedByTheDayInChinaAndKeptTwoDaysAfterIt() {
        reserved(budget(store, 3));

        assertTrue(store.incrementBelow("budget#2026-11-30", 2, Instant.EPOCH, deadline()), "1 of 2 counted");
        assertEquals(false, store.incrementBelow("budget#2026-11-30", 2, Instant.EPOCH, deadline()));
    }

    @Test
    void aCallerSpendsItsOwnShareAndOthersKeepTheirs() {
        DailyBudgetSpendGuard budget = new DailyBudgetSpendGuard(store, KEYS, clock, 10, 2);
        Caller bob = Caller.fromAddress("198.51.100.7");

        reserved(budget, ALICE);
        budget.release(reserved(budget, ALICE), deadline()); // given back: cannot have been charged
        reserved(budget, ALICE);
        Failure over = refused(budget, ALICE);

        assertEquals(ErrorType.BUDGET_EXHAUSTED, over.type());
        assertTrue(over.message().contains("this caller's budget of 2"), over.message());
        assertEquals(8 * 3600, over.retryAfterSeconds().getAsLong());
        assertEquals(2, reserved(budget, bob).counters().size(), "the caller's counter and the counter of all");
        reserved(budget, bob);
        refused(budget, bob);
        for (int i = 0; i < 6; i++) {
            assertEquals(1, reserved(budget, Caller.DIRECT).counters().size(), "direct: only the counter of all");
        }
        Failure all = refused(budget, Caller.DIRECT);
        assertTrue(all.message().contains("today's budget of 10"), all.message());
    }

    @Test
    void aCallerRefusedByTheBudgetOfAllGetsItsOwnReservationBack() {
        DailyBudgetSpendGuard budget = new DailyBudgetSpendGuard(store, KEYS, clock, 1, 5);
        reserved(budget, Caller.DIRECT);

        for (int i = 0; i < 7; i++) {
            assertEquals(ErrorType.BUDGET_EXHAUSTED, refused(budget, ALICE).type());
        }
        String aliceCounter = DailyBudgetSpendGuard.counterOfCaller(java.time.LocalDate.of(2026, 11, 30),
                new RecordHashing(HASH_KEY).caller(ALICE.id()));
        assertTrue(store.incrementBelow(aliceCounter, 1, Instant.EPOCH, deadline()),
                "seven refusals left nothing on Alice's counter");
    }

    @Test
    void aCallersCounterIsKeyedByAnHmacOfItsIdNeverTheId() {
        DailyBudgetSpendGuard budget = new DailyBudgetSpendGuard(store, KEYS, clock, 0, 3);
        Caller address = Caller.fromAddress("203.0.113.9");

        List<String> counters = reserved(budget, address).counters();

        assertEquals(1, counters.size(), "no budget of all: the caller's counter only");
        assertTrue(counters.get(0).matches("caller-budget#2026-11-30#[0-9a-f]{64}"), counters.get(0));
        assertTrue(!counters.get(0).contains("203.0.113.9"));
        assertInstanceOf(Reservation.Unlimited.class, budget.reserve(Caller.DIRECT, deadline()),
                "a direct caller with no budget of all: no counter at all");
    }
}
