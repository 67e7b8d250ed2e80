package cloud.phonematch.verify.records;

import java.security.SecureRandom;
import java.util.HexFormat;

import cloud.phonematch.verify.verification.RenewableRandom;
import cloud.phonematch.verify.verification.RenewableAfterRestore;

/**
 * Draws the owner id of each claim: 128 random bits, hex. Written on the claim's record, it is how an invocation
 * tells its own write from another's when a reply was lost (two claims of one key are otherwise alike). Ids must
 * never repeat across containers, so they come from a {@link RenewableRandom}.
 */
final class ClaimOwners implements RenewableAfterRestore {
    private static final int BYTES = 16;

    private final RenewableRandom random = new RenewableRandom();

    /** A new owner id. */
    String next() {
        byte[] id = new byte[BYTES];
        random.current().nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    @Override
    public void renewAfterRestore() {
        random.renewAfterRestore();
    }

    /** The generator ids are drawn from now. */
    SecureRandom random() {
        return random.current();
    }
}
