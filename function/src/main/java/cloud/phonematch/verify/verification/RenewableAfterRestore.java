package cloud.phonematch.verify.verification;

/**
 * Holds state that must differ between execution environments (random generators and keys drawn per container) and
 * draws it anew after a SnapStart restore. Every environment restored from one snapshot starts with the same memory,
 * so whatever of this state was created before the snapshot is drawn anew after the restore (the priming package's
 * SnapStart hook calls {@link #renewAfterRestore()} on every bean already created that implements this); state
 * created after the restore is unique anyway.
 */
public interface RenewableAfterRestore {

    /** Draws this state anew. Called once, after a SnapStart restore, before the first invocation. */
    void renewAfterRestore();
}
