package cloud.phonematch.verify.records;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import cloud.phonematch.verify.verification.Deadline;

/**
 * The in-memory store, with the replies of some writes lost as a slow or flaky table loses them: a claim's write
 * made (or not) and then reported as possibly made, a delete that fails. Every call is written in {@link #journal},
 * by operation name, so that tests count calls here rather than in the code under test.
 */
final class LostReplyStore implements RecordStore {
    /** What becomes of the claims' writes (putIfAbsent). */
    enum Puts {
        /** Answered as the table answers. */
        ANSWERED,
        /** Made, and then the reply is lost: reported as possibly made. */
        MADE_REPLY_LOST,
        /** Not made, and reported as possibly made (the first try's reply lost, the second's too). */
        NOT_MADE_REPLY_LOST,
        /** Refused before anything could be made. */
        REFUSED
    }

    final InMemoryRecordStore table = new InMemoryRecordStore();
    final List<String> journal = Collections.synchronizedList(new ArrayList<>());
    volatile Puts puts = Puts.ANSWERED;
    volatile boolean deletesFail;

    long calls(String operation) {
        synchronized (journal) {
            return journal.stream().filter(operation::equals).count();
        }
    }

    @Override
    public Optional<StoredRecord> putIfAbsent(StoredRecord record, Instant now, Deadline deadline) {
        journal.add("putIfAbsent");
        return switch (puts) {
            case ANSWERED -> table.putIfAbsent(record, now, deadline);
            case MADE_REPLY_LOST -> {
                table.putIfAbsent(record, now, deadline);
                throw new RecordsUnavailable("test: reply lost", true);
            }
            case NOT_MADE_REPLY_LOST -> throw new RecordsUnavailable("test: reply lost", true);
            case REFUSED -> throw new RecordsUnavailable("test: refused");
        };
    }

    @Override
    public Optional<StoredRecord> get(String key, Instant now, Deadline deadline) {
        journal.add("get");
        return table.get(key, now, deadline);
    }

    @Override
    public boolean replace(StoredRecord next, String previousOwner, Deadline deadline) {
        journal.add("replace");
        return table.replace(next, previousOwner, deadline);
    }

    @Override
    public boolean delete(String key, long version, String owner, Deadline deadline) {
        journal.add("delete");
        if (deletesFail) {
            throw new RecordsUnavailable("test: down", true);
        }
        return table.delete(key, version, owner, deadline);
    }

    @Override
    public boolean incrementBelow(String key, long limit, Instant expiresAt, Deadline deadline) {
        journal.add("incrementBelow");
        return table.incrementBelow(key, limit, expiresAt, deadline);
    }

    @Override
    public void decrement(String key, Deadline deadline) {
        journal.add("decrement");
        table.decrement(key, deadline);
    }
}
