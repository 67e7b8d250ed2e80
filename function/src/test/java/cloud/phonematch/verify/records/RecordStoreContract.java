package cloud.phonematch.verify.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.TimeSource;

/**
 * What every {@link RecordStore} must do, whatever it runs on: the in-memory store and the DynamoDB store both
 * extend this. Keys are fresh per test, so a shared table needs no cleaning between tests.
 */
public abstract class RecordStoreContract {
    protected static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");
    /** The owner id of the claims written here, and another invocation's. */
    protected static final String OWNER = "0f".repeat(16);
    protected static final String OTHER_OWNER = "e1".repeat(16);

    /** The store under test. */
    protected abstract RecordStore store();

    protected static Deadline deadline() {
        return Deadline.of(TimeSource.SYSTEM, System.nanoTime(), 5_500, Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    protected static StoredRecord inProgress(String key, String fingerprint, Instant expiresAt) {
        return new StoredRecord(key, fingerprint, RecordState.IN_PROGRESS, NOW.plusSeconds(10), null, expiresAt, 1,
                OWNER);
    }

    protected static String freshKey() {
        return "k" + UUID.randomUUID().toString().replace("-", "");
    }

    @Test
    void theFirstWriteOfAKeyTakesIt() {
        StoredRecord record = inProgress(freshKey(), "fp-1", NOW.plusSeconds(3_600));

        assertEquals(Optional.empty(), store().putIfAbsent(record, NOW, deadline()));
        assertEquals(Optional.of(record), store().putIfAbsent(inProgress(record.key(), "fp-2", NOW.plusSeconds(60)),
                NOW, deadline()), "the second write finds the first, unchanged");
    }

    @Test
    void anExpiredRecordCountsAsAbsent() {
        String key = freshKey();
        store().putIfAbsent(inProgress(key, "old", NOW.plusSeconds(5)), NOW, deadline());

        // Expired at +5 s, its lock over at +10 s.
        StoredRecord later = inProgress(key, "new", NOW.plusSeconds(3_600));
        assertEquals(Optional.empty(), store().putIfAbsent(later, NOW.plusSeconds(11), deadline()));
        assertEquals(Optional.of(later), store().putIfAbsent(inProgress(key, "x", NOW.plusSeconds(60)),
                NOW.plusSeconds(12), deadline()));
    }

    @Test
    void aReplaceHappensOnlyOverTheVersionItFollows() {
        StoredRecord first = inProgress(freshKey(), "fp", NOW.plusSeconds(3_600));
        store().putIfAbsent(first, NOW, deadline());
        StoredRecord completed = first.next(RecordState.COMPLETED, null, "{\"status\":\"CONSISTENT\"}",
                NOW.plusSeconds(86_400));

        assertTrue(store().replace(completed, OWNER, deadline()));
        assertFalse(store().replace(first.next(RecordState.OUTCOME_UNKNOWN, null, null, NOW.plusSeconds(60)), OWNER,
                deadline()), "version 2 is stored now: a second writer of version 2 loses");
        assertEquals(Optional.of(completed), store().putIfAbsent(inProgress(first.key(), "fp", NOW.plusSeconds(9)),
                NOW, deadline()));
    }

    @Test
    void aReplaceOfAMissingRecordDoesNothing() {
        StoredRecord ghost = inProgress(freshKey(), "fp", NOW.plusSeconds(60));
        assertFalse(store().replace(ghost.next(RecordState.COMPLETED, null, "{}", NOW.plusSeconds(60)), OWNER,
                deadline()));
        assertEquals(Optional.empty(), store().putIfAbsent(ghost, NOW, deadline()), "nothing was created");
    }

    @Test
    void aDeleteHappensOnlyForTheVersionAndTheOwnerGiven() {
        StoredRecord record = inProgress(freshKey(), "fp", NOW.plusSeconds(3_600));
        store().putIfAbsent(record, NOW, deadline());

        assertFalse(store().delete(record.key(), 7, OWNER, deadline()));
        assertFalse(store().delete(record.key(), 1, OTHER_OWNER, deadline()),
                "another invocation's claim of the key has the same version, never the same owner");
        assertEquals(Optional.of(record), store().get(record.key(), NOW, deadline()), "still there");
        assertTrue(store().delete(record.key(), 1, OWNER, deadline()));
        assertFalse(store().delete(record.key(), 1, OWNER, deadline()), "already gone");
        assertEquals(Optional.empty(), store().putIfAbsent(record, NOW, deadline()), "the key is free again");
    }

    @Test
    void aRecordWithoutAnOwnerReadsAsOneAndIsNeverDeleted() {
        // As written before records had owners (and as kept answers are).
        StoredRecord older = new StoredRecord(freshKey(), "fp", RecordState.IN_PROGRESS, NOW.plusSeconds(10), null,
                NOW.plusSeconds(3_600), 1, null);
        store().putIfAbsent(older, NOW, deadline());

        assertEquals(Optional.of(older), store().get(older.key(), NOW, deadline()));
        assertEquals(Optional.of(older), store().putIfAbsent(inProgress(older.key(), "fp", NOW.plusSeconds(60)), NOW,
                deadline()), "it stands against a claim, as before");
        assertFalse(store().delete(older.key(), 1, OWNER, deadline()));
        StoredRecord completed = older.next(RecordState.COMPLETED, null, "{}", NOW.plusSeconds(60));
        assertFalse(store().replace(completed, OWNER, deadline()), "it is nobody's: a writer holding it from an owner"
                + " does not hold this one");
        assertTrue(store().replace(completed, null, deadline()), "a writer that expects no owner replaces it");
        assertEquals(Optional.of(completed), store().get(older.key(), NOW, deadline()));
    }

    @Test
    void aRetakingReplaceWritesItsOwnOwner() {
        StoredRecord first = inProgress(freshKey(), "fp", NOW.plusSeconds(3_600));
        store().putIfAbsent(first, NOW, deadline());
        StoredRecord retaken = first.next(RecordState.IN_PROGRESS, NOW.plusSeconds(20), null, NOW.plusSeconds(3_600))
                .ownedBy(OTHER_OWNER);

        assertTrue(store().replace(retaken, OWNER, deadline()));
        assertEquals(Optional.of(retaken), store().get(first.key(), NOW, deadline()));
        assertFalse(store().delete(first.key(), 2, OWNER, deadline()), "the first owner's hold is over");
        assertTrue(store().delete(first.key(), 2, OTHER_OWNER, deadline()));
    }

    @Test
    void aReplaceNeverOverwritesTheRecordAnotherClaimWroteAfterItsOwnLapsed() {
        StoredRecord mine = inProgress(freshKey(), "fp", NOW.plusSeconds(3_600));
        store().putIfAbsent(mine, NOW, deadline());
        // The key changes hands: this claim's record is gone (its holder was too slow) and another claim took the key,
        // at the same version.
        assertTrue(store().delete(mine.key(), 1, OWNER, deadline()));
        StoredRecord theirs = mine.ownedBy(OTHER_OWNER);
        assertEquals(Optional.empty(), store().putIfAbsent(theirs, NOW, deadline()));

        assertFalse(store().replace(mine.next(RecordState.COMPLETED, null, "{}", NOW.plusSeconds(3_600)), OWNER,
                deadline()), "the late settle of the first claim");
        assertEquals(Optional.of(theirs), store().get(mine.key(), NOW, deadline()), "the other claim's record stands");
    }

    @Test
    void aRecordPastItsExpiryStandsWhileItsLockRuns() {
        String key = freshKey();
        // An expiry before the end of the lock: settings the function refuses; a store honours the lock all the same.
        StoredRecord locked = new StoredRecord(key, "fp", RecordState.IN_PROGRESS, NOW.plusSeconds(60), null,
                NOW.plusSeconds(5), 1, OWNER);
        store().putIfAbsent(locked, NOW, deadline());

        assertEquals(Optional.of(locked), store().putIfAbsent(inProgress(key, "fp", NOW.plusSeconds(3_600))
                .ownedBy(OTHER_OWNER), NOW.plusSeconds(30), deadline()), "expired, but its holder may still be running");
        assertEquals(Optional.of(locked), store().get(key, NOW.plusSeconds(30), deadline()));
        StoredRecord later = inProgress(key, "fp", NOW.plusSeconds(3_600)).ownedBy(OTHER_OWNER);
        assertEquals(Optional.empty(), store().putIfAbsent(later, NOW.plusSeconds(61), deadline()),
                "expired and its lock over: absent");
    }

    @Test
    void everyFieldSurvivesTheRoundTrip() {
        StoredRecord record = new StoredRecord(freshKey(), "f".repeat(64), RecordState.OUTCOME_UNKNOWN,
                NOW.plusMillis(1_234), "{\"a\":\"b\"}", NOW.plusSeconds(86_400), 1, OWNER);
        store().putIfAbsent(record, NOW, deadline());

        assertEquals(Optional.of(record), store().putIfAbsent(inProgress(record.key(), "x", NOW.plusSeconds(9)),
                NOW, deadline()));
    }

    @Test
    void aReadSeesTheLiveRecordAndNothingOnceItExpired() {
        StoredRecord record = inProgress(freshKey(), "fp", NOW.plusSeconds(60));
        assertEquals(Optional.empty(), store().get(record.key(), NOW, deadline()));
        store().putIfAbsent(record, NOW, deadline());

        assertEquals(Optional.of(record), store().get(record.key(), NOW, deadline()));
        assertEquals(Optional.empty(), store().get(record.key(), NOW.plusSeconds(60), deadline()), "expired");
    }

    @Test
    void aCounterCountsUpToItsLimitAndGivesBackNeverBelowZero() {
        String counter = freshKey();
        Instant expires = NOW.plusSeconds(86_400);

        assertTrue(store().incrementBelow(counter, 2, expires, deadline()));
        assertTrue(store().incrementBelow(counter, 2, expires, deadline()));
        assertFalse(store().incrementBelow(counter, 2, expires, deadline()), "at the limit");
        store().decrement(counter, deadline());
        assertTrue(store().incrementBelow(counter, 2, expires, deadline()), "one was given back");
        store().decrement(counter, deadline());
        store().decrement(counter, deadline());
        store().decrement(counter, deadline());
        assertTrue(store().incrementBelow(counter, 1, expires, deadline()), "never below zero: 0 + 1 fits a limit of 1");
        assertFalse(store().incrementBelow(counter, 1, expires, deadline()));
        store().decrement(freshKey(), deadline());
    }

    @Test
    void ofManyConcurrentIncrementsExactlyTheLimitSucceed() throws Exception {
        String counter = freshKey();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                results.add(pool.submit(() -> store().incrementBelow(counter, 5, NOW.plusSeconds(60), deadline())));
            }
            int added = 0;
            for (Future<Boolean> result : results) {
                added += result.get() ? 1 : 0;
            }
            assertEquals(5, added);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void ofManyConcurrentFirstWritesExactlyOneWins() throws Exception {
        String key = freshKey();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Optional<StoredRecord>>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String fingerprint = "fp-" + i;
                Callable<Optional<StoredRecord>> write = () -> store().putIfAbsent(
                        inProgress(key, fingerprint, NOW.plusSeconds(3_600)), NOW, deadline());
                results.add(pool.submit(write));
            }
            int winners = 0;
            for (Future<Optional<StoredRecord>> result : results) {
                winners += result.get().isEmpty() ? 1 : 0;
            }
            assertEquals(1, winners);
        } finally {
            pool.shutdownNow();
        }
    }
}
