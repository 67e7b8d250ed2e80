package cloud.phonematch.verify.records;

import java.time.Instant;
import java.util.Objects;

/**
 * One item of the records store. Holds no personal data: the key and the fingerprint are HMACs, the outcome is the
 * function's own output with the number masked.
 *
 * @param key HMAC of what identifies the record (an idempotency key), hex
 * @param fingerprint HMAC of the normalized name and number the key was first used with, hex
 * @param state where the request stands
 * @param lockedUntil while {@link RecordState#IN_PROGRESS}: until when the holder may still be running (Lambda's
 *     timeout of the invocation that took it)
 * @param outcome while {@link RecordState#COMPLETED}: the outcome as {@link StoredOutcome} writes it; else null
 * @param expiresAt when the store may forget the record (the table's TTL)
 * @param version increases with every write; a write that expects another version does not happen
 * @param owner the random id of the claim that wrote this version ({@link ClaimOwners}): how a writer whose reply was
 *     lost recognizes its own write; null on records that are no claim's (kept answers) and on items written before
 *     records had owners
 *     <p>A store may keep {@code expiresAt} to the second and {@code lockedUntil} to the millisecond, rounded up, so
 *     that neither ever ends early (a DynamoDB TTL attribute is in seconds).
 */
public record StoredRecord(String key, String fingerprint, RecordState state, Instant lockedUntil, String outcome,
        Instant expiresAt, long version, String owner) {

    public StoredRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /**
     * Whether the record still stands at {@code now}: it has not expired, or it holds a lock that has not run out. A
     * lock outlives an expiry only when the settings break the records' invariant (an expiry shorter than a lock),
     * which the function refuses at start; a store honours the lock all the same.
     */
    public boolean liveAt(Instant now) {
        return expiresAt.isAfter(now) || (lockedUntil != null && lockedUntil.isAfter(now));
    }

    /** The next version of this record, in another state, by the same owner. */
    StoredRecord next(RecordState newState, Instant newLockedUntil, String newOutcome, Instant newExpiresAt) {
        return new StoredRecord(key, fingerprint, newState, newLockedUntil, newOutcome, newExpiresAt, version + 1,
                owner);
    }

    /** This record, written by another owner (a claim taking over a key). */
    StoredRecord ownedBy(String newOwner) {
        return new StoredRecord(key, fingerprint, state, lockedUntil, outcome, expiresAt, version, newOwner);
    }

    /**
     * Whether this is the very write {@code written} made: the same owner and version. A record without an owner is
     * nobody's write in particular: it never is.
     */
    boolean sameWriteAs(StoredRecord written) {
        return owner != null && owner.equals(written.owner()) && version == written.version();
    }
}
