package cloud.phonematch.verify.records;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

import org.jboss.logging.Logger;

import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.verification.Caller;
import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.FailureException;
import cloud.phonematch.verify.verification.SpendGuard;

/**
 * At most {@code VERIFY_DAILY_BUDGET} charged answers per calendar day in China Standard Time across all callers, and
 * at most {@code VERIFY_CALLER_DAILY_BUDGET} for any one caller, each counted atomically on one counter a day in the
 * records store, across every container that shares it. A reservation is taken before every call to the API that may
 * cost money (each attempt of an invocation), on the caller's counter first and then on the counter of all, kept when
 * that call was charged (0 or 1) or may have been (its outcome is unknown), and given back when it cannot have been
 * (-1, -4, -5, -6, -2, -3, a refusal before the engine ran). Replayed and reused answers take none.
 * <p>
 * Over budget the call is not made: {@code BUDGET_EXHAUSTED} (not retryable; {@code retry_after_seconds} until the
 * next day in Beijing), or {@code outcome_unknown} when an earlier attempt of the invocation may have been charged. A
 * counter that cannot be reached in time refuses the call ({@code RECORDS_UNAVAILABLE}): unknown spend is never taken
 * as room to spend. The counters' writes are never sent twice
 * ({@link cloud.phonematch.verify.verification.ChargeRule}): an add or a give-back whose outcome is unknown may leave
 * a counter one higher than the spend, never lower.
 * <p>
 * A caller's counter is keyed by the HMAC of its id ({@link RecordHashing#caller}), never the id itself: a source
 * address is the caller's personal data.
 */
public final class DailyBudgetSpendGuard implements SpendGuard {
    private static final Logger LOG = Logger.getLogger(DailyBudgetSpendGuard.class);
    /** The API bills by the day in mainland China. */
    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    /** How long a day's counter is kept after its day ends (for reading it afterwards). */
    static final Duration KEPT_AFTER_THE_DAY = Duration.ofDays(2);

    private final RecordStore store;
    private final HashKeys hashKeys;
    private final Clock clock;
    private final long limit;
    private final long callerLimit;

    /**
     * @param limit charged answers a day of all callers; 0 means no cap
     * @param callerLimit charged answers a day of any one {@linkplain Caller#capped() capped} caller; 0 means no cap
     */
    public DailyBudgetSpendGuard(RecordStore store, HashKeys hashKeys, Clock clock, long limit, long callerLimit) {
        this.store = store;
        this.hashKeys = hashKeys;
        this.clock = clock;
        this.limit = limit;
        this.callerLimit = callerLimit;
    }

    /** The day's counter of all callers. */
    static String counterOfAll(LocalDate day) {
        return "budget#" + day;
    }

    /** The day's counter of one caller, by the HMAC of its id. */
    static String counterOfCaller(LocalDate day, String callerHash) {
        return "caller-budget#" + day + "#" + callerHash;
    }

    @Override
    public Reservation reserve(Caller caller, Deadline deadline) {
        boolean perCaller = callerLimit > 0 && caller.capped();
        if (limit <= 0 && !perCaller) {
            return new Reservation.Unlimited();
        }
        ZonedDateTime now = clock.instant().atZone(CHINA);
        LocalDate day = now.toLocalDate();
        Instant nextDay = day.plusDays(1).atStartOfDay(CHINA).toInstant();
        Instant expires = nextDay.plus(KEPT_AFTER_THE_DAY);
        long secondsToNextDay = Math.max(1, Duration.between(now.toInstant(), nextDay).toSeconds());
        String callerCounter = null;
        if (perCaller) {
            try {
                callerCounter = counterOfCaller(day, hashKeys.current(deadline).caller(caller.id()));
            } catch (FailureException e) {
                return new Reservation.Refused(e.failure());
            }
            Reservation refused = add(callerCounter, callerLimit, expires, deadline, secondsToNextDay,
                    "this caller's budget of " + callerLimit);
            if (refused != null) {
                return refused;
            }
        }
        if (limit > 0) {
            Reservation refused = add(counterOfAll(day), limit, expires, deadline, secondsToNextDay,
                    "today's budget of " + limit);
            if (refused != null) {
                if (callerCounter != null) {
                    // Nothing will be sent: the caller's reservation goes back (once; see release).
                    release(new Reservation.Reserved(List.of(callerCounter)), deadline);
                }
                return refused;
            }
        }
        return new Reservation.Reserved(callerCounter == null ? List.of(counterOfAll(day))
                : limit > 0 ? List.of(callerCounter, counterOfAll(day)) : List.of(callerCounter));
    }

    /** Adds one to {@code counter} below {@code cap}: null when it did, else the refusal. */
    private Reservation add(String counter, long cap, Instant expires, Deadline deadline, long secondsToNextDay,
            String whose) {
        try {
            if (store.incrementBelow(counter, cap, expires, deadline)) {
                return null;
            }
        } catch (RecordsUnavailable e) {
            LOG.warnf("the daily budget could not be read in time%s: %s",
                    e.maybeApplied() ? " (one reservation may have been counted all the same)" : "", e.getMessage());
            return new Reservation.Refused(Failure.of(ErrorType.RECORDS_UNAVAILABLE,
                    "the daily budget could not be checked in time; nothing was sent, try again"));
        }
        return new Reservation.Refused(Failure.of(ErrorType.BUDGET_EXHAUSTED,
                whose + " charged verifications a day is spent; it renews at midnight China time")
                .withRetryAfter(secondsToNextDay));
    }

    /**
     * One call to each counter, at its shortest ({@link DynamoDbRecordStore#MIN_CALL}), before each paid call. The
     * same for every caller (the attempts' schedule is set once per container), so a direct caller's lead is the
     * capped one's: one counter call longer than it needs.
     */
    @Override
    public Duration leadTime() {
        int counters = (limit > 0 ? 1 : 0) + (callerLimit > 0 ? 1 : 0);
        return DynamoDbRecordStore.MIN_CALL.multipliedBy(counters);
    }

    @Override
    public void release(Reservation.Reserved reservation, Deadline deadline) {
        for (String counter : reservation.counters()) {
            try {
                store.decrement(counter, deadline);
            } catch (RecordsUnavailable e) {
                LOG.warnf("an unused reservation of the daily budget could not be given back: %s", e.getMessage());
            }
        }
    }
}
