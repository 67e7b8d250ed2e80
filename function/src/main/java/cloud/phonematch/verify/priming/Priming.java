package cloud.phonematch.verify.priming;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.arc.All;
import io.quarkus.runtime.ImageMode;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Gets the function ready before its first caller, by asking each package to rehearse what it does in an invocation:
 * <ul>
 * <li>the local paths ({@link LocalRehearsal}: the event's JSON, the pre-check, the answer, the summary line and the
 * EMF object, and whole invocations in process), {@code priming.local-paths.rounds} times at startup (default
 * {@value #LOCAL_ROUNDS}) — enough for Lambda's C1-only JIT to compile them (after 60 calls with the template's
 * {@code -XX:CompileThresholdScaling=0.3}) — or as few as a path asks for; once in a native executable, which has no
 * JIT but must still load libphonenumber's tables;</li>
 * <li>the request path of a live invocation ({@link ServiceRehearsal}: the token's read, the idempotency claim and
 * settle, the API's call), once per process, end to end against a loopback server that plays the services: at startup
 * in an on-demand init and under provisioned concurrency, and just before the snapshot when SnapStart takes one
 * ({@link SnapStartHooks}), so not twice;</li>
 * <li>the function's own clients ({@link FunctionClient}: the API's REST client, Secrets Manager's), set up at the end
 * of an on-demand or provisioned-concurrency init with the request path's priming on: built, no connection opened,
 * nothing read. Never before a snapshot, which must hold none of them.</li>
 * </ul>
 * Why the request path in an on-demand init too, which the first caller waits for: Lambda runs an on-demand init on a
 * full, unthrottled vCPU, and the invocations on the share of a vCPU the function's memory buys (512/1,769 of one at
 * 512 MB). The same work costs the first caller about three and a half times as long in the first invocation as in the
 * init (bench/results/history/2026-11-30-cold-start-and-priming.md has the figures). Not in a native executable,
 * which neither loads classes nor compiles code at run time.
 * <p>
 * One after the other: the function's class loader loads one class at a time, so a second thread would not help.
 * Nothing leaves the process (no network beyond 127.0.0.1), only placeholders are used, the rehearsals build none of
 * the function's own clients and touch none of its state, and no personal data is logged. It logs one line, with the counts and the time
 * taken; a failed rehearsal of the request path, which only means a slower first invocation, is a DEBUG line naming
 * the exception's class.
 */
@Singleton
public class Priming {
    static final int LOCAL_ROUNDS = 100;
    /** The longest any one step of a rehearsal of the request path may take (server start and stop, each call). */
    static final Duration STEP_TIMEOUT = Duration.ofSeconds(2);
    private static final Logger LOG = Logger.getLogger(Priming.class);

    private final List<LocalRehearsal> localPaths;
    private final List<ServiceRehearsal> requestPath;
    private final List<FunctionClient> clients;
    private final Vertx vertx;
    private final LambdaInit init;
    private final boolean requestPathEnabled;
    private final int localRounds;
    private final AtomicBoolean requestPathRan = new AtomicBoolean();
    private volatile Rehearsed last;

    /**
     * @param initializationType {@code AWS_LAMBDA_INITIALIZATION_TYPE}, which Lambda sets
     * @param requestPathEnabled {@code priming.request-path.enabled}: off in the tests, unless a test turns it on
     * @param localRounds {@code priming.local-paths.rounds}: how often the local paths are rehearsed at startup on the
     *                    JVM (at least once); the jvm-aot package's bootstrap asks for fewer, measured there to shorten
     *                    the first caller's wait without a slower warm p99
     */
    public Priming(@All List<LocalRehearsal> localPaths, RequestPathParts requestPath, Vertx vertx,
            @ConfigProperty(name = "aws.lambda.initialization-type") Optional<String> initializationType,
            @ConfigProperty(name = "priming.request-path.enabled", defaultValue = "true") boolean requestPathEnabled,
            @ConfigProperty(name = "priming.local-paths.rounds", defaultValue = "" + LOCAL_ROUNDS) int localRounds) {
        this.localPaths = List.copyOf(localPaths);
        this.requestPath = requestPath.parts();
        this.clients = requestPath.clients();
        this.vertx = vertx;
        this.init = LambdaInit.of(initializationType);
        this.requestPathEnabled = requestPathEnabled;
        this.localRounds = Math.max(1, localRounds);
    }

    /** The kind of init this process runs in. */
    public LambdaInit init() {
        return init;
    }

    void primeAtStartup(@Observes StartupEvent event) {
        long start = System.nanoTime();
        preloadFirstCallClasses();
        int rounds = ImageMode.current() == ImageMode.NATIVE_RUN ? 1 : localRounds;
        for (int i = 0; i < rounds; i++) {
            rehearseLocalPaths(i, rounds);
        }
        // Before a snapshot, the snapshot hook rehearses the request path, once the init is done.
        boolean requestPathPrimed = init != LambdaInit.SNAP_START && requestPathOnce().isPresent();
        boolean clientsSetUp = init != LambdaInit.SNAP_START && requestPathEnabled && setUpClients();
        LOG.infof("primed the local paths %d times%s%s in %d ms", rounds,
                requestPathPrimed ? " and the request path against a loopback server" : "",
                clientsSetUp ? ", and set up the function's clients" : "", (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * The function's own clients set up, so that its first invocation does not build them at a share of a vCPU; only
     * in an init no snapshot follows. Whether all were set up; one that could not be (a setting its first use will
     * report) is left to that use.
     */
    private boolean setUpClients() {
        boolean all = true;
        for (FunctionClient client : clients) {
            try {
                client.setUp();
            } catch (RuntimeException e) {
                all = false;
                LOG.debugf("a client of the function's was left to its first use: %s", e.getClass().getSimpleName());
            }
        }
        return all && !clients.isEmpty();
    }

    /** Just before a SnapStart snapshot: the request path's rehearsal, unless it already ran in this process. */
    public Optional<Rehearsed> beforeSnapshot() {
        return requestPathOnce();
    }

    /** What this process's rehearsal of the request path left, once it has run. */
    public Optional<Rehearsed> last() {
        return Optional.ofNullable(last);
    }

    /** Each local path once, as in the first round. */
    void rehearseLocalPaths() {
        rehearseLocalPaths(0, 1);
    }

    /** Round {@code round} of {@code rounds}: the local paths that run in it. */
    private void rehearseLocalPaths(int round, int rounds) {
        for (LocalRehearsal path : localPaths) {
            if (round < path.rounds(rounds)) {
                path.rehearse();
            }
        }
    }

    /** The parts of the request path to rehearse here: those this process has, on the JVM, priming on. */
    private List<ServiceRehearsal> requestPathHere() {
        if (!requestPathEnabled || ImageMode.current() == ImageMode.NATIVE_RUN) {
            return List.of();
        }
        return requestPath;
    }

    /**
     * The libraries' classes the first real call of each service this process calls needs: loaded even where the
     * request path is not rehearsed at startup (before a snapshot, or with its priming off), so that at least their
     * loading and static initialization are off the first caller's path.
     */
    private void preloadFirstCallClasses() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (ServiceRehearsal part : requestPath) {
            for (String name : part.firstCallClasses()) {
                try {
                    Class.forName(name, true, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    LOG.debugf("not preloaded: %s", name);
                }
            }
        }
    }

    private Optional<Rehearsed> requestPathOnce() {
        List<ServiceRehearsal> parts = requestPathHere();
        if (parts.isEmpty() || !requestPathRan.compareAndSet(false, true)) {
            return Optional.empty();
        }
        try {
            last = rehearse(1, parts);
            return Optional.of(last);
        } catch (RuntimeException e) {
            LOG.debugf("priming the request path failed: %s", e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    /**
     * Runs {@code parts} {@code rounds} times, in order within each round, against a loopback server started for them
     * and stopped after; outside the once-per-process rule, so tests can ask what a rehearsal does.
     */
    Rehearsed rehearse(int rounds, List<ServiceRehearsal> parts) {
        LoopbackServices services = LoopbackServices.start(vertx,
                parts.stream().map(ServiceRehearsal::played).toList(), STEP_TIMEOUT);
        List<ServiceRehearsal.Run> runs = new ArrayList<>();
        try {
            for (ServiceRehearsal part : parts) {
                runs.add(part.open(services.uri(), STEP_TIMEOUT));
            }
            for (int i = 0; i < rounds; i++) {
                runs.forEach(ServiceRehearsal.Run::round);
            }
        } finally {
            runs.forEach(ServiceRehearsal.Run::close);
            services.close();
        }
        return services.rehearsed();
    }
}
