package cloud.phonematch.verify.priming;

/**
 * A client of the function's own that is otherwise set up at its first use, and can be set up ahead of it: built, with
 * its region, endpoint and credentials chain resolved, but no connection opened and nothing sent or read.
 * {@link Priming} sets each up at the end of an init that no snapshot follows, where the CPU is a full vCPU and the
 * first invocation's is a share of one. Never before a SnapStart snapshot, which must hold no client of the function's.
 */
public interface FunctionClient {

    /** Sets the client up, if it is not already; may throw, which only leaves it to be set up at first use. */
    void setUp();
}
