package cloud.phonematch.verify.priming;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import cloud.phonematch.verify.records.RecordsSettings;
import cloud.phonematch.verify.secrets.TokenSettings;
import cloud.phonematch.verify.upstream.ApiSettings;
import cloud.phonematch.verify.verification.AttemptSettings;
import cloud.phonematch.verify.secrets.SecretsManagerAccess;
import io.quarkus.runtime.ImageMode;
import io.vertx.core.Vertx;

/**
 * Primes the request path of a live invocation once per process, end to end against a loopback server
 * ({@link RequestPathRehearsal}), so that the first caller of a new container does not wait for it to be loaded, linked
 * and first run (AWS's "priming"): at startup in an on-demand init and under provisioned concurrency, and just before
 * the snapshot when SnapStart takes one ({@link SnapStartHooks}, after the init, so not twice).
 * <p>
 * Why in an on-demand init too, which the first caller waits for: Lambda runs an on-demand init on a full, unthrottled
 * vCPU, and the invocations on the share of a vCPU the function's memory buys (512/1,769 of one at 512 MB). The same
 * work costs the first caller about three and a half times as long in the first invocation as in the init, so doing
 * it here shortens the first caller's wait (BENCHMARKS.md, "the first caller's wait", has the figures). On a machine
 * that gives both phases the same CPU it moves the work without shortening it.
 * <p>
 * Only for the live API on the JVM: the sandbox has no request path, and a native executable neither loads classes nor
 * compiles code at run time. Nothing leaves the process (no network beyond 127.0.0.1), only placeholders are used,
 * none of the function's own clients is built or state touched, and nothing is logged or measured (a failure, which
 * only means a slower first invocation, is a DEBUG line naming the exception's class).
 */
@Singleton
public class RequestPathPriming {
    private static final Logger LOG = Logger.getLogger(RequestPathPriming.class);

    private final ApiSettings api;
    private final RecordsSettings records;
    private final RequestPathRehearsal rehearsal;
    private final LambdaInit init;
    private final boolean enabled;
    private final AtomicBoolean ran = new AtomicBoolean();
    private volatile Rehearsal last;

    /**
     * What the loopback server answered during a rehearsal and how the rehearsal left it.
     *
     * @param stopped whether the server had stopped when the rehearsal returned (its close succeeded)
     * @param leftOpen connections the rehearsal's clients had not closed when it was done (closed by the server)
     */
    public record Rehearsal(int apiCalls, int secretReads, int recordWrites, int unknown, boolean stopped,
            int leftOpen) {
    }

    /**
     * @param initializationType {@code AWS_LAMBDA_INITIALIZATION_TYPE}, which Lambda sets
     * @param enabled {@code priming.request-path.enabled}: off in the tests, unless a test turns it on
     */
    public RequestPathPriming(Vertx vertx, ApiSettings api, AttemptSettings attempts, TokenSettings token,
            RecordsSettings records, SecretsManagerAccess secrets, Clock clock,
            @ConfigProperty(name = "aws.lambda.initialization-type") Optional<String> initializationType,
            @ConfigProperty(name = "priming.request-path.enabled", defaultValue = "true") boolean enabled) {
        this.api = api;
        this.records = records;
        this.rehearsal = new RequestPathRehearsal(vertx, api, attempts, token, records, secrets, clock);
        this.init = LambdaInit.of(initializationType);
        this.enabled = enabled;
    }

    /** The kind of init this process runs in. */
    public LambdaInit init() {
        return init;
    }

    /** Whether this process has a request path to prime: the live API, on the JVM, priming on. */
    boolean applies() {
        return enabled && api.upstream() == ApiSettings.Upstream.LIVE
                && ImageMode.current() != ImageMode.NATIVE_RUN;
    }

    /**
     * At startup: the rehearsal, unless a snapshot follows (the snapshot hook rehearses then, once the init is done).
     *
     * @return what the loopback server answered; empty when nothing ran
     */
    public Optional<Rehearsal> atStartup() {
        return init == LambdaInit.SNAP_START ? Optional.empty() : once();
    }

    /** Just before a SnapStart snapshot: the rehearsal, unless it already ran in this process. */
    public Optional<Rehearsal> beforeSnapshot() {
        return once();
    }

    /** What this process's rehearsal left, once it has run. */
    public Optional<Rehearsal> last() {
        return Optional.ofNullable(last);
    }

    private Optional<Rehearsal> once() {
        if (!applies() || !ran.compareAndSet(false, true)) {
            return Optional.empty();
        }
        try {
            last = rehearsal.run(1, records.recordsTable().filter(t -> !t.isBlank()).isPresent());
            return Optional.of(last);
        } catch (RuntimeException e) {
            LOG.debugf("priming the request path failed: %s", e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    /** Runs the rehearsal again, outside the once-per-process rule: for tests of what it does. */
    Rehearsal rehearse(int rounds, boolean withRecords) {
        return rehearsal.run(rounds, withRecords);
    }
}
