package cloud.phonematch.verify.records;

import java.security.SecureRandom;

import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.RenewableAfterRestore;

/**
 * A hash key of this container's own ({@link HashKeys#perContainer()}), drawn on first use. After a SnapStart restore
 * it is drawn again: records hashed under the old key are then not recognized, which for records kept in this
 * container's memory only means the memory of a container restored from a snapshot starts empty, as it should.
 */
final class ContainerHashKeys implements HashKeys, RenewableAfterRestore {
    private RecordHashing hashing;

    @Override
    public synchronized RecordHashing current(Deadline deadline) {
        if (hashing == null) {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            hashing = new RecordHashing(key);
        }
        return hashing;
    }

    @Override
    public synchronized void renewAfterRestore() {
        hashing = null;
    }
}
