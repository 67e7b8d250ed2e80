package cloud.phonematch.verify.records;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.jboss.logging.Logger;

import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.SpendGuard;

/**
 * At most {@code VERIFY_DAILY_BUDGET} charged answers per calendar day in China Standard Time, counted atomically on
 * one counter a day in the records store, across every container that shares it. A reservation is taken before every
 * call to the API that may cost money (each attempt of an invocation), kept when that call was charged (0 or 1) or may
 * have been (its outcome is unknown), and given back when it cannot have been (-1, -4, -5, -6, -2, -3, a refusal
 * before the engine ran). Replayed and reused answers take none.
 * <p>
 * Over budget the call is not made: {@code BUDGET_EXHAUSTED} (not retryable; {@code retry_after_seconds} until the
 * next day in Beijing), or {@code outcome_unknown} when an earlier attempt of the invocation may have been charged. A
 * counter that cannot be reached in time refuses the call ({@code RECORDS_UNAVAILABLE}): unknown spend is never taken
 * as room to spend. The counter's writes are never sent twice
 * ({@link cloud.phonematch.verify.verification.ChargeRule}): an add or a give-back whose outcome is unknown may leave
 * the counter one higher than the spend, never lower.
 */
public final class DailyBudget implements SpendGuard {
    private static final Logger LOG = Logger.getLogger(DailyBudget.class);
    /** The API bills by the day in mainland China. */
    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    /** How long a day's counter is kept after its day ends (for reading it afterwards). */
    static final Duration KEPT_AFTER_THE_DAY = Duration.ofDays(2);

    private final RecordStore store;
    private final Clock clock;
    private final long limit;

    /** @param limit charged answers a day; 0 means no cap */
    public DailyBudget(RecordStore store, Clock clock, long limit) {
        this.store = store;
        this.clock = clock;
        this.limit = limit;
    }

    @Override
    public Reservation reserve(Deadline deadline) {
        if (limit <= 0) {
            return new Reservation.Unlimited();
        }
        ZonedDateTime now = clock.instant().atZone(CHINA);
        LocalDate day = now.toLocalDate();
        Instant nextDay = day.plusDays(1).atStartOfDay(CHINA).toInstant();
        String counter = "budget#" + day;
        try {
            if (store.incrementBelow(counter, limit, nextDay.plus(KEPT_AFTER_THE_DAY), deadline)) {
                return new Reservation.Reserved(counter);
            }
        } catch (RecordsUnavailable e) {
            LOG.warnf("the daily budget could not be read in time%s: %s",
                    e.maybeApplied() ? " (one reservation may have been counted all the same)" : "", e.getMessage());
            return new Reservation.Refused(Failure.of(ErrorType.RECORDS_UNAVAILABLE,
                    "the daily budget could not be checked in time; nothing was sent, try again"));
        }
        long seconds = Math.max(1, Duration.between(now.toInstant(), nextDay).toSeconds());
        return new Reservation.Refused(Failure.of(ErrorType.BUDGET_EXHAUSTED,
                "today's budget of " + limit + " charged verifications is spent; it renews at midnight China time")
                .withRetryAfter(seconds));
    }

    /** One call to the counter, at its shortest ({@link DynamoDbRecordStore#MIN_CALL}), before each paid call. */
    @Override
    public Duration leadTime() {
        return limit > 0 ? DynamoDbRecordStore.MIN_CALL : Duration.ZERO;
    }

    @Override
    public void release(Reservation.Reserved reservation, Deadline deadline) {
        try {
            store.decrement(reservation.counter(), deadline);
        } catch (RecordsUnavailable e) {
            LOG.warnf("an unused reservation of the daily budget could not be given back: %s", e.getMessage());
        }
    }
}
