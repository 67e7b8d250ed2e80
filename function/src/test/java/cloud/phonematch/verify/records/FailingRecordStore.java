package cloud.phonematch.verify.records;

import java.time.Instant;
import java.util.Optional;

import cloud.phonematch.verify.verification.Deadline;

/** A store that never answers in time: what the records and the budget do then. */
final class FailingRecordStore implements RecordStore {
    @Override
    public Optional<StoredRecord> putIfAbsent(StoredRecord record, Instant now, Deadline deadline) {
        throw new RecordsUnavailable("test: down");
    }

    @Override
    public Optional<StoredRecord> get(String key, Instant now, Deadline deadline) {
        throw new RecordsUnavailable("test: down");
    }

    @Override
    public boolean replace(StoredRecord next, String previousOwner, Deadline deadline) {
        throw new RecordsUnavailable("test: down");
    }

    @Override
    public boolean delete(String key, long version, String owner, Deadline deadline) {
        throw new RecordsUnavailable("test: down");
    }

    @Override
    public boolean incrementBelow(String key, long limit, Instant expiresAt, Deadline deadline) {
        throw new RecordsUnavailable("test: down");
    }

    @Override
    public void decrement(String key, Deadline deadline) {
        throw new RecordsUnavailable("test: down");
    }
}
