package cloud.phonematch.verify.verification;

import java.time.Duration;

/**
 * When this invocation must have answered: Lambda's deadline minus a safety margin. A Lambda invocation
 * dies hard at its timeout, so every wait and every attempt is measured against this.
 */
public final class Deadline {
    /** Lambda's longest timeout; a reported remaining time outside (0, this] means "no Lambda deadline". */
    private static final long LAMBDA_MAX_TIMEOUT_MS = 900_000;
    /**
     * The budget assumed when the runtime reports no deadline (Quarkus's mock event server in dev and test
     * mode): the template's default function timeout, so local runs behave like deployed ones.
     */
    public static final Duration ASSUMED_BUDGET = Duration.ofSeconds(10);

    /** The shortest attempt worth starting: about one round trip to the API. */
    public static final Duration MIN_ATTEMPT = Duration.ofMillis(100);

    private final TimeSource time;
    private final long endNanos;

    private Deadline(TimeSource time, long endNanos) {
        this.time = time;
        this.endNanos = endNanos;
    }

    /**
     * @param remainingMillis the Lambda context's remaining time when the invocation started. Quarkus's mock
     *        event server (dev and test mode) sends no deadline and reports nonsense here: anything outside
     *        Lambda's possible range means {@link #ASSUMED_BUDGET}.
     * @param margin kept in reserve before Lambda's own timeout
     */
    public static Deadline of(TimeSource time, long startNanos, long remainingMillis, Duration margin) {
        Duration remaining = remainingMillis <= 0 || remainingMillis > LAMBDA_MAX_TIMEOUT_MS
                ? ASSUMED_BUDGET
                : Duration.ofMillis(remainingMillis);
        return new Deadline(time, startNanos + remaining.minus(margin).toNanos());
    }

    /** Time left before the margin; zero or negative once it is reached. */
    public Duration remaining() {
        return Duration.ofNanos(endNanos - time.nanoTime());
    }

    /**
     * Whether {@code wait} can pass and still leave time for a useful attempt. An attempt shorter than
     * {@link #MIN_ATTEMPT} would mostly send a request (which may be charged) and give up before the answer.
     */
    public boolean allows(Duration wait) {
        return remaining().minus(wait).compareTo(MIN_ATTEMPT) >= 0;
    }

    /** No attempt can start any more. */
    public boolean passed() {
        return !allows(Duration.ZERO);
    }
}
