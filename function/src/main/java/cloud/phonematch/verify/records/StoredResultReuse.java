package cloud.phonematch.verify.records;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.jboss.logging.Logger;

import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.FailureException;
import cloud.phonematch.verify.verification.ResultReuse;
import cloud.phonematch.verify.verification.Verdict;

/**
 * Charged answers (0 and 1) kept per person for {@code VERIFY_REUSE_WINDOW}: one record per person, keyed by the
 * HMAC of the normalized name and number, holding the verdict (no text in any language: the answer given again is
 * worded in the language of the request it is given to). A lookup is a consistent read; a store
 * that cannot answer in time refuses the invocation rather than pay on a guess.
 */
public final class StoredResultReuse implements ResultReuse {
    private static final Logger LOG = Logger.getLogger(StoredResultReuse.class);

    private final RecordStore store;
    private final HashKeys hashKeys;
    private final Clock clock;
    private final Duration window;

    public StoredResultReuse(RecordStore store, HashKeys hashKeys, Clock clock, Duration window) {
        this.store = store;
        this.hashKeys = hashKeys;
        this.clock = clock;
        this.window = window;
    }

    @Override
    public boolean enabled() {
        return window.isPositive();
    }

    @Override
    public Optional<Verdict> recent(String name, String mobile, Deadline deadline) {
        String key = hashKeys.current(deadline).person(name, mobile);
        try {
            return store.get(key, clock.instant(), deadline)
                    .filter(r -> r.state() == RecordState.COMPLETED)
                    .flatMap(r -> StoredOutcome.read(r.outcome()));
        } catch (RecordsUnavailable e) {
            LOG.warnf("kept answers could not be read: %s", e.getMessage());
            throw new FailureException(Failure.of(ErrorType.RECORDS_UNAVAILABLE,
                    "kept answers could not be read in time; nothing was sent, try again (or send \"fresh\": true)"));
        }
    }

    @Override
    public void remember(String name, String mobile, Verdict verdict, Deadline deadline) {
        Deadline settling = deadline.afterAnswer();
        try {
            String key = hashKeys.current(settling).person(name, mobile);
            Instant now = clock.instant();
            // No owner: a kept answer is no claim; whichever writer's answer stands is as good.
            StoredRecord kept = new StoredRecord(key, key, RecordState.COMPLETED, null, StoredOutcome.write(verdict),
                    now.plus(window), 1, null);
            Optional<StoredRecord> earlier = store.putIfAbsent(kept, now, settling);
            if (earlier.isPresent() && !store.replace(earlier.get().next(RecordState.COMPLETED, null,
                    kept.outcome(), kept.expiresAt()), earlier.get().owner(), settling)) {
                LOG.debug("a kept answer changed while it was being replaced; the other write stands");
            }
        } catch (RecordsUnavailable | FailureException e) {
            LOG.warnf("a charged answer could not be kept for reuse: %s", e.getMessage());
        }
    }
}
