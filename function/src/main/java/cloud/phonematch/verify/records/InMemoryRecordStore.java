package cloud.phonematch.verify.records;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import cloud.phonematch.verify.verification.Deadline;

/**
 * The records of one container, in memory: the embedded default when no table is configured (dev mode, the
 * sandbox, tests). The same rules as a shared store, within one container; forgotten when the container ends.
 * Each operation is one atomic step of a concurrent map, so concurrent invocations (tests, a local server) see
 * the same conditional-write semantics as DynamoDB.
 */
public final class InMemoryRecordStore implements RecordStore {
    private final ConcurrentMap<String, StoredRecord> records = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

    private record Counter(long value, Instant expiresAt) {
    }

    @Override
    public Optional<StoredRecord> putIfAbsent(StoredRecord record, Instant now, Deadline deadline) {
        StoredRecord[] existing = new StoredRecord[1];
        records.compute(record.key(), (key, current) -> {
            if (current != null && current.liveAt(now)) {
                existing[0] = current;
                return current;
            }
            return record;
        });
        return Optional.ofNullable(existing[0]);
    }

    @Override
    public Optional<StoredRecord> get(String key, Instant now, Deadline deadline) {
        return Optional.ofNullable(records.get(key)).filter(r -> r.liveAt(now));
    }

    @Override
    public boolean replace(StoredRecord next, String previousOwner, Deadline deadline) {
        boolean[] replaced = new boolean[1];
        records.computeIfPresent(next.key(), (key, current) -> {
            if (current.version() == next.version() - 1 && Objects.equals(current.owner(), previousOwner)) {
                replaced[0] = true;
                return next;
            }
            return current;
        });
        return replaced[0];
    }

    @Override
    public boolean delete(String key, long version, String owner, Deadline deadline) {
        Objects.requireNonNull(owner, "owner");
        boolean[] deleted = new boolean[1];
        records.computeIfPresent(key, (k, current) -> {
            if (current.version() == version && owner.equals(current.owner())) {
                deleted[0] = true;
                return null;
            }
            return current;
        });
        return deleted[0];
    }

    @Override
    public boolean incrementBelow(String key, long limit, Instant expiresAt, Deadline deadline) {
        boolean[] added = new boolean[1];
        counters.compute(key, (k, current) -> {
            long value = current == null ? 0 : current.value();
            if (value >= limit) {
                return current;
            }
            added[0] = true;
            return new Counter(value + 1, expiresAt);
        });
        return added[0];
    }

    @Override
    public void decrement(String key, Deadline deadline) {
        counters.computeIfPresent(key, (k, current) -> current.value() > 0
                ? new Counter(current.value() - 1, current.expiresAt())
                : current);
    }

    /** How many records are held (tests, and the privacy check of what is stored). */
    int size() {
        return records.size();
    }

    /** A copy of every record held, for tests that check what is stored. */
    java.util.List<StoredRecord> snapshot() {
        return java.util.List.copyOf(records.values());
    }
}
