package cloud.phonematch.verify.priming;

/**
 * A path of an invocation that runs in the process alone — no network, no secret, no clock that matters — and that a
 * package rehearses on placeholders during init so that the JIT has compiled it before callers arrive. {@link Priming}
 * runs every one {@value Priming#LOCAL_ROUNDS} times on the JVM (once in a native executable, which has no JIT to feed).
 * <p>
 * An implementation logs nothing, writes nothing out and uses no personal data.
 */
public interface LocalRehearsal {

    /** One run of the path on placeholders. */
    void rehearse();
}
