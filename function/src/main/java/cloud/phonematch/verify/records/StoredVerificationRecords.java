package cloud.phonematch.verify.records;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.jboss.logging.Logger;

import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.verification.ChargeRule;
import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.FailureException;
import cloud.phonematch.verify.verification.RenewableAfterRestore;
import cloud.phonematch.verify.verification.VerificationRecords;
import cloud.phonematch.verify.verification.VerificationResult;

/**
 * Idempotency keys, tied to what is charged. One record per key (its HMAC, within the caller's scope), holding the
 * fingerprint (HMAC of every request field that changes the answer or whether the API is called) it was first used
 * with:
 * <ul>
 * <li>first arrival: a conditional write takes the key, locked until Lambda's timeout of this invocation plus the
 * clock-skew margin ({@code VERIFY_CLOCK_SKEW_MARGIN}), so that another container whose clock runs up to that much
 * ahead still sees the lock held;</li>
 * <li>an answer (the API's or the local pre-check's) is kept, as a {@link cloud.phonematch.verify.verification.Verdict
 * verdict}, for {@code VERIFY_IDEMPOTENCY_TTL}; a repeat gets it again, {@code replayed} and worded in its own
 * language, with nothing read, sent or charged;</li>
 * <li>a failure that cannot have been charged releases the key, so a retry proceeds as if it were the first;</li>
 * <li>a failure that may have been charged, or a lock whose holder died at Lambda's timeout, keeps the key as
 * outcome-unknown: a repeat makes no call and says {@code outcome_unknown} (unless the operator accepted a second
 * charge with {@code VERIFY_REPEAT_POSSIBLY_CHARGED=true}, when the repeat takes the key again);</li>
 * <li>a repeat while the first is running is {@code IN_PROGRESS} (retry after the lock); the same key with another
 * request is {@code IDEMPOTENCY_KEY_REUSED}.</li>
 * </ul>
 * A store that cannot answer in time refuses the invocation ({@code RECORDS_UNAVAILABLE}, nothing sent): without
 * the record, a repeat could not be recognized.
 * <p>
 * Every claim carries an owner id of its own ({@link ClaimOwners}), written on the record, and every later write of
 * the record is conditioned on it: a claim whose write was made although its reply was lost is recognized as this
 * invocation's and goes on, and an invocation whose hold lapsed never overwrites the record of the claim that took the
 * key after it. When the claim fails all the same after a write that may have been made, this invocation deletes the
 * record if it is there and its own (one try, conditioned on the owner, never on the version alone: another
 * invocation's claim of the key has version 1 too), so that the caller's retry is not refused for a lock nobody
 * holds, nor later as outcome-unknown for a call never made. If that fails too, the key stays locked until the lock
 * ends and then counts as outcome-unknown: it can only refuse.
 */
public final class StoredVerificationRecords implements VerificationRecords, RenewableAfterRestore {
    private static final Logger LOG = Logger.getLogger(StoredVerificationRecords.class);
    private final RecordStore store;
    private final HashKeys hashKeys;
    private final Clock clock;
    private final RecordsTiming timing;
    private final ChargeRule rule;
    private final ClaimOwners owners = new ClaimOwners();

    public StoredVerificationRecords(RecordStore store, HashKeys hashKeys, Clock clock, RecordsTiming timing,
            ChargeRule rule) {
        this.store = store;
        this.hashKeys = hashKeys;
        this.clock = clock;
        this.timing = timing;
        this.rule = rule;
    }

    @Override
    public Claim claim(KeyedRequest request, Deadline deadline) {
        RecordHashing hashing;
        try {
            hashing = hashKeys.current(deadline);
        } catch (FailureException e) {
            // No hash key (CONFIGURATION) or no secret in time (SECRETS_UNAVAILABLE): nothing was sent.
            return new Claim.Refused(e.failure());
        }
        Instant now = clock.instant();
        String key = hashing.idempotencyKey(request.callerScope(), request.idempotencyKey());
        String fingerprint = hashing.request(request.name(), request.mobile(), request.fresh());
        StoredRecord mine = new StoredRecord(key, fingerprint, RecordState.IN_PROGRESS, lockEnd(now, deadline), null,
                now.plus(timing.ttl()), 1, owners.next());
        Optional<StoredRecord> existing;
        try {
            existing = store.putIfAbsent(mine, now, deadline);
        } catch (RecordsUnavailable e) {
            Claim refused = unavailable(e);
            if (e.maybeApplied()) {
                release(mine, deadline);
            }
            return refused;
        }
        if (existing.isEmpty()) {
            return new Claim.Granted(key, fingerprint, mine.version(), mine.owner());
        }
        try {
            return judge(existing.get(), fingerprint, now, deadline);
        } catch (RecordsUnavailable e) {
            // A retaking write that may have been made is not released: deleting it would also delete the mark of
            // the earlier call that may have been charged. Its lock runs out; the key is outcome-unknown again.
            return unavailable(e);
        }
    }

    private static Claim unavailable(RecordsUnavailable e) {
        LOG.warnf("idempotency record could not be claimed: %s", e.getMessage());
        return new Claim.Refused(Failure.of(ErrorType.RECORDS_UNAVAILABLE,
                "the idempotency records could not be read or written in time; nothing was sent, try again"));
    }

    /**
     * Takes back a claim that failed after its write may have been made: deletes the record if it is still this
     * claim's (its owner), so that the caller's retry finds the key free. Best effort: one delete within the time
     * left; when it fails, the refusal stands all the same.
     */
    private void release(StoredRecord mine, Deadline deadline) {
        try {
            if (store.delete(mine.key(), mine.version(), mine.owner(), deadline)) {
                LOG.debug("a claim that may have been written was released");
            }
        } catch (RecordsUnavailable e) {
            LOG.warnf("a claim that may have been written could not be released; its lock runs out: %s",
                    e.getMessage());
        }
    }

    private Claim judge(StoredRecord existing, String fingerprint, Instant now, Deadline deadline) {
        if (!existing.fingerprint().equals(fingerprint)) {
            return new Claim.Refused(Failure.of(ErrorType.IDEMPOTENCY_KEY_REUSED,
                    "this idempotency key was first used with another name, mobile or \"fresh\"; use a new key for a"
                            + " new request"));
        }
        boolean holderDied = existing.state() == RecordState.IN_PROGRESS && !existing.lockedUntil().isAfter(now);
        return switch (existing.state()) {
            case COMPLETED -> StoredOutcome.read(existing.outcome()).<Claim>map(Claim.Replayed::new)
                    .orElseGet(() -> outcomeUnknown(existing, now, deadline));
            case IN_PROGRESS -> holderDied ? outcomeUnknown(existing, now, deadline)
                    : new Claim.Refused(Failure.of(ErrorType.IN_PROGRESS,
                            "a request with this idempotency key is still running; try again after it has answered")
                            .withRetryAfter(secondsUntil(existing.lockedUntil(), now)));
            case OUTCOME_UNKNOWN -> outcomeUnknown(existing, now, deadline);
        };
    }

    /**
     * The key's earlier call may have been charged and nobody knows the answer. Refused, unless the operator
     * accepted a second charge: then this invocation takes the key over and calls again.
     */
    private Claim outcomeUnknown(StoredRecord existing, Instant now, Deadline deadline) {
        if (rule.repeatsPossiblyCharged()) {
            StoredRecord retaken = existing.next(RecordState.IN_PROGRESS, lockEnd(now, deadline), null,
                    now.plus(timing.ttl())).ownedBy(owners.next());
            if (store.replace(retaken, existing.owner(), deadline)) {
                return new Claim.Granted(retaken.key(), retaken.fingerprint(), retaken.version(), retaken.owner());
            }
            return new Claim.Refused(Failure.of(ErrorType.IN_PROGRESS,
                    "a request with this idempotency key has just started; try again after it has answered")
                    .withRetryAfter(1));
        }
        return new Claim.Refused(Failure.of(ErrorType.UPSTREAM_TIMEOUT,
                "an earlier request with this idempotency key may have been charged and its answer is unknown;"
                        + " reconcile it before verifying again with a new key").maybeCharged());
    }

    @Override
    public void settle(Claim.Granted claim, VerificationResult result, Deadline deadline) {
        Instant now = clock.instant();
        Deadline settling = deadline.afterAnswer();
        Instant expires = now.plus(timing.ttl());
        StoredRecord held = new StoredRecord(claim.key(), claim.fingerprint(), RecordState.IN_PROGRESS, null, null,
                expires, claim.version(), claim.owner());
        try {
            boolean written = switch (result) {
                case VerificationResult.Answered answered -> store.replace(held.next(RecordState.COMPLETED, null,
                        StoredOutcome.write(answered.verdict()), expires), claim.owner(), settling);
                case VerificationResult.Failed failed -> failed.failure().outcomeUnknown()
                        ? store.replace(held.next(RecordState.OUTCOME_UNKNOWN, null, null, expires), claim.owner(),
                                settling)
                        : store.delete(claim.key(), claim.version(), claim.owner(), settling);
            };
            if (!written) {
                LOG.warn("idempotency record changed while this invocation held it; left as it is");
            }
        } catch (RecordsUnavailable e) {
            // The lock runs out at Lambda's timeout; the key then counts as outcome-unknown: it can only refuse.
            LOG.warnf("idempotency record could not be settled: %s", e.getMessage());
        }
    }

    /** Claims drawn after a SnapStart restore get owner ids no other restored container draws. */
    @Override
    public void renewAfterRestore() {
        owners.renewAfterRestore();
    }

    /** Where owner ids are drawn from now. */
    ClaimOwners owners() {
        return owners;
    }

    /**
     * Until Lambda's timeout of this invocation, when its holder is dead for sure, and the clock-skew margin: another
     * container reads the lock with its own clock.
     */
    private Instant lockEnd(Instant now, Deadline deadline) {
        return now.plus(deadline.untilLambdaTimeout()).plus(timing.clockSkewMargin());
    }

    private static long secondsUntil(Instant later, Instant now) {
        long ms = Duration.between(now, later).toMillis();
        return Math.max(1, (ms + 999) / 1000);
    }
}
