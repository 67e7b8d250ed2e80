package cloud.phonematch.verify.priming;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import cloud.phonematch.verify.config.VerifyConfig;
import cloud.phonematch.verify.secrets.SecretsManagerAccess;
import io.quarkus.runtime.ImageMode;
import io.vertx.core.Vertx;

/**
 * Primes the request path of a live invocation once per process, so that the first caller of a new container does not
 * wait for it to be loaded, linked and first run (AWS's "priming"). How far depends on whether a caller waits for the
 * init ({@link LambdaInit}):
 * <ul>
 * <li>where none does — provisioned concurrency, and SnapStart, where it runs in the snapshot hook
 * ({@link SnapStartHooks}) — end to end against a loopback server ({@link RequestPathRehearsal}): restored or
 * provisioned containers answer their first call about as fast as the floor's (BENCHMARKS.md);</li>
 * <li>in an on-demand init, which the first caller waits for, the path's code without a connection
 * ({@link RequestPathWarmUp}): the rehearsal would move about as much time into the init as it takes out of the first
 * invocation, and push the init past its budget; the warm-up takes the larger share of the first invocation's excess
 * for a small part of that (BENCHMARKS.md, "the first caller's wait").</li>
 * </ul>
 * Only for the live API on the JVM: the sandbox has no request path, and a native executable neither loads classes nor
 * compiles code at run time. Either way nothing leaves the process (no network beyond 127.0.0.1), only placeholders
 * are used, none of the function's own clients is built or state touched, and nothing is logged or measured (a
 * failure, which only means a slower first invocation, is a DEBUG line naming the exception's class).
 */
@Singleton
public class RequestPathPriming {
    private static final Logger LOG = Logger.getLogger(RequestPathPriming.class);

    private final VerifyConfig config;
    private final RequestPathRehearsal rehearsal;
    private final RequestPathWarmUp warmUp;
    private final LambdaInit init;
    private final boolean enabled;
    private final AtomicBoolean ran = new AtomicBoolean();
    private volatile Primed last;

    /** How far the request path was primed. */
    public sealed interface Primed permits WarmedUp, Rehearsed {
    }

    /** The path's code ran without a connection. */
    public record WarmedUp() implements Primed {
    }

    /**
     * The path ran end to end: what the loopback server answered and how the rehearsal left it.
     *
     * @param port the port the server listened on (closed when the rehearsal returned)
     * @param leftOpen connections the rehearsal's clients had not closed when it was done (closed by the server)
     */
    public record Rehearsed(int apiCalls, int secretReads, int recordWrites, int unknown, int port, int leftOpen)
            implements Primed {
    }

    /**
     * @param initializationType {@code AWS_LAMBDA_INITIALIZATION_TYPE}, which Lambda sets
     * @param enabled {@code priming.request-path.enabled}: off in the tests, unless a test turns it on
     */
    public RequestPathPriming(Vertx vertx, VerifyConfig config, SecretsManagerAccess secrets, Clock clock,
            @ConfigProperty(name = "aws.lambda.initialization-type") Optional<String> initializationType,
            @ConfigProperty(name = "priming.request-path.enabled", defaultValue = "true") boolean enabled) {
        this.config = config;
        this.rehearsal = new RequestPathRehearsal(vertx, config, secrets, clock);
        this.warmUp = new RequestPathWarmUp(config, secrets, clock, Placeholders.NOWHERE);
        this.init = LambdaInit.of(initializationType);
        this.enabled = enabled;
    }

    /** Whether this process has a request path to prime: the live API, on the JVM, priming on. */
    boolean applies() {
        return enabled && config.upstream() == VerifyConfig.Upstream.LIVE
                && ImageMode.current() != ImageMode.NATIVE_RUN;
    }

    /**
     * At startup: the warm-up in an on-demand init, the rehearsal where no caller waits, nothing when a snapshot
     * follows (the snapshot hook rehearses).
     *
     * @return what ran now; empty when nothing did
     */
    public Optional<Primed> atStartup() {
        return switch (init) {
            case ON_DEMAND -> once(false);
            case PROVISIONED_CONCURRENCY -> once(true);
            case SNAP_START -> Optional.empty();
        };
    }

    /** Just before a SnapStart snapshot: the rehearsal, unless the path was already primed in this process. */
    public Optional<Primed> beforeSnapshot() {
        return once(true);
    }

    /** What this process's priming did, once it has run. */
    public Optional<Primed> last() {
        return Optional.ofNullable(last);
    }

    private Optional<Primed> once(boolean endToEnd) {
        if (!applies() || !ran.compareAndSet(false, true)) {
            return Optional.empty();
        }
        boolean withRecords = config.recordsTable().filter(t -> !t.isBlank()).isPresent();
        try {
            if (endToEnd) {
                last = rehearsal.run(1, withRecords);
            } else {
                warmUp.run(withRecords);
                last = new WarmedUp();
            }
            return Optional.of(last);
        } catch (RuntimeException e) {
            LOG.debugf("priming the request path failed: %s", e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    /** Runs the rehearsal again, outside the once-per-process rule: for tests of what it does. */
    Rehearsed rehearse(int rounds, boolean withRecords) {
        return rehearsal.run(rounds, withRecords);
    }

    /** Runs the warm-up again, outside the once-per-process rule: for tests of what it does. */
    void warmUp(boolean withRecords) {
        warmUp.run(withRecords);
    }
}
