package cloud.phonematch.verify.priming;

/**
 * A path of an invocation that runs in the process alone — no network, no secret, no clock that matters — and that a
 * package rehearses on placeholders during init so that the JIT has compiled it before callers arrive. {@link Priming}
 * runs every one {@code priming.local-paths.rounds} times on the JVM, or fewer where the path says so (once in a native
 * executable, which has no JIT to feed).
 * <p>
 * An implementation logs nothing, writes nothing out and uses no personal data.
 */
public interface LocalRehearsal {

    /** One run of the path on placeholders. */
    void rehearse();

    /**
     * How many of the {@code rounds} the priming runs this path in: all of them, unless the path costs more than what
     * its later rounds buy.
     */
    default int rounds(int rounds) {
        return rounds;
    }
}
