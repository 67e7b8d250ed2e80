package cloud.phonematch.verify.records;

import java.time.Instant;
import java.util.Optional;

import cloud.phonematch.verify.verification.Deadline;

/**
 * What the records need from a store: single-item conditional writes. Every call is bounded by {@code deadline}
 * and either does what it says or throws {@link RecordsUnavailable}; "unavailable" includes "could not tell in time",
 * after which the caller assumes nothing.
 * <p>
 * A record whose {@link StoredRecord#expiresAt()} has passed counts as absent, whether or not the store has deleted
 * it yet (a DynamoDB TTL deletes within days, not at the second).
 */
public interface RecordStore {

    /**
     * Writes {@code record} if no live record has its key.
     *
     * @return empty when written; the live record that is there otherwise (nothing written)
     */
    Optional<StoredRecord> putIfAbsent(StoredRecord record, Instant now, Deadline deadline);

    /** The live record with this key, read consistently; empty when there is none or it has expired. */
    Optional<StoredRecord> get(String key, Instant now, Deadline deadline);

    /**
     * Replaces the record with {@code next} if the stored one still has version {@code next.version() - 1}.
     *
     * @return whether it was replaced
     */
    boolean replace(StoredRecord next, Deadline deadline);

    /**
     * Deletes the record with this key if it still has version {@code version}.
     *
     * @return whether it was deleted
     */
    boolean delete(String key, long version, Deadline deadline);

    /**
     * Adds one to the counter {@code key} (an absent one counts as 0) if it is below {@code limit}, and sets when the
     * store may forget it. Atomic across every container of the store. A counter's key names its period (a day), so
     * it never needs resetting.
     *
     * @return whether one was added
     */
    boolean incrementBelow(String key, long limit, Instant expiresAt, Deadline deadline);

    /** Takes one back from the counter {@code key}, never below zero. */
    void decrement(String key, Deadline deadline);
}
