package cloud.phonematch.verify.verification;

import java.security.SecureRandom;

/**
 * A random generator that every container draws from on its own: a {@link SecureRandom}, replaced by a new one after
 * a SnapStart restore. Not {@code ThreadLocalRandom} nor a generator kept from before the snapshot: their state is
 * copied into every container restored from it, which would then draw the same ids, keys and waits (retries in step,
 * owner ids that repeat).
 */
public final class RenewableRandom implements RenewableAfterRestore {
    private volatile SecureRandom current = new SecureRandom();

    /** The generator to draw from now (read it for each draw: a restore replaces it). */
    public SecureRandom current() {
        return current;
    }

    @Override
    public void renewAfterRestore() {
        current = new SecureRandom();
    }
}
