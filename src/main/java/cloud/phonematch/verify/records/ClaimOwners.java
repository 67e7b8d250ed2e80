package cloud.phonematch.verify.records;

import java.security.SecureRandom;
import java.util.HexFormat;

import cloud.phonematch.verify.verification.UniquePerContainer;

/**
 * Draws the owner id of each claim: 128 random bits, hex. Written on the claim's record, it is how an invocation
 * tells its own write from another's when a reply was lost (two claims of one key are otherwise alike). Ids must
 * never repeat across containers: not {@code ThreadLocalRandom}, whose per-thread state a SnapStart snapshot copies
 * into every restored container, and a generator created before a snapshot is replaced after the restore.
 */
final class ClaimOwners implements UniquePerContainer {
    private static final int BYTES = 16;

    private volatile SecureRandom random = new SecureRandom();

    /** A new owner id. */
    String next() {
        byte[] id = new byte[BYTES];
        random.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    @Override
    public void renewAfterRestore() {
        random = new SecureRandom();
    }

    /** The generator ids are drawn from now. */
    SecureRandom random() {
        return random;
    }
}
