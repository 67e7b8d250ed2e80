package cloud.phonematch.verify.records;

import java.time.Instant;
import java.util.Optional;

import cloud.phonematch.verify.verification.Deadline;

/**
 * What the records need from a store: single-item conditional writes. Every call is bounded by {@code deadline}
 * and either does what it says or throws {@link RecordsUnavailable}; "unavailable" includes "could not tell in time",
 * after which the caller assumes nothing, except that a write the exception does not call
 * {@linkplain RecordsUnavailable#maybeApplied() possibly applied} was not made.
 * <p>
 * A write of a record that may have been applied although no reply said so (a lost reply, a 5xx, a reply not in the
 * expected shape) is recognized by its owner ({@link StoredRecord#owner()}, random per claim): a store that finds, on
 * trying again, the very record it was writing (same owner, same version) counts the write as made. Nothing else
 * tells two claims of one key apart. A counter's writes cannot recognize themselves, so they are never sent again
 * after an ending that may have applied them ({@link cloud.phonematch.verify.verification.ChargeRule}).
 * <p>
 * A record counts as absent once it is not {@linkplain StoredRecord#liveAt(Instant) live}: its
 * {@link StoredRecord#expiresAt()} has passed and it holds no lock that is still running, whether or not the store
 * has deleted it yet (a DynamoDB TTL deletes within days, not at the second).
 */
public interface RecordStore {

    /**
     * Writes {@code record} if no live record has its key. A live record that is this very write (its owner's,
     * found after a try that may have been applied) counts as written.
     *
     * @return empty when written; the live record that is there otherwise (nothing written)
     */
    Optional<StoredRecord> putIfAbsent(StoredRecord record, Instant now, Deadline deadline);

    /** The live record with this key, read consistently; empty when there is none or it has expired. */
    Optional<StoredRecord> get(String key, Instant now, Deadline deadline);

    /**
     * Replaces the record with {@code next} if the stored one still has version {@code next.version() - 1} and was
     * written by {@code previousOwner}: a writer replaces only the record it holds, never one another claim wrote
     * after its own lapsed.
     *
     * @param previousOwner the owner of the record replaced; null for a record without one (a kept answer)
     * @return whether it was replaced (also when a try that may have been applied left {@code next} itself there)
     */
    boolean replace(StoredRecord next, String previousOwner, Deadline deadline);

    /**
     * Deletes the record with this key if it still has version {@code version} and was written by {@code owner}:
     * only the claim that wrote a record releases it. The owner is what makes this safe when a write of ours may or
     * may not have been made: another invocation's claim of the same key has the same version, never the same owner.
     *
     * @param owner not null: a record without an owner is never deleted
     * @return whether it was deleted (also when a try that may have been applied left no record there)
     */
    boolean delete(String key, long version, String owner, Deadline deadline);

    /**
     * Adds one to the counter {@code key} (an absent one counts as 0) if it is below {@code limit}, and sets when the
     * store may forget it. Atomic across every container of the store. A counter's key names its period (a day), so
     * it never needs resetting. Not sent again after an ending that may have applied it: then it throws, and the
     * counter may count one more than was asked.
     *
     * @return whether one was added
     */
    boolean incrementBelow(String key, long limit, Instant expiresAt, Deadline deadline);

    /**
     * Takes one back from the counter {@code key}, never below zero. Not sent again after an ending that may have
     * applied it: then it throws, and the counter may count one more than it should, never one less.
     */
    void decrement(String key, Deadline deadline);
}
