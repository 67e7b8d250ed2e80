package cloud.phonematch.verify.verification;

import java.time.Duration;

/**
 * When this invocation must have answered: Lambda's deadline minus a safety margin. A Lambda invocation
 * dies hard at its timeout, so every wait, every attempt and every read of the token is measured against this.
 */
public final class Deadline {
    /** Lambda's longest timeout; a reported remaining time outside (0, this] means "no Lambda deadline". */
    private static final long LAMBDA_MAX_TIMEOUT_MS = 900_000;
    /**
     * The budget assumed when the runtime reports no deadline (Quarkus's mock event server in dev and test
     * mode): the template's default function timeout, so local runs behave like deployed ones.
     */
    public static final Duration ASSUMED_BUDGET = Duration.ofSeconds(10);
    /**
     * Kept before Lambda's own timeout by the bookkeeping done after an answer is known (recording it for replay,
     * giving back a budget reservation): the answer itself needs only that long to go out.
     */
    static final Duration ANSWER_RESERVE = Duration.ofMillis(200);

    private final TimeSource time;
    private final long endNanos;
    private final Duration minAttempt;
    /** Lambda's own timeout, after the margin: when the invocation dies if it has not answered. */
    private final long lambdaEndNanos;

    private Deadline(TimeSource time, long endNanos, Duration minAttempt, long lambdaEndNanos) {
        this.time = time;
        this.endNanos = endNanos;
        this.minAttempt = minAttempt;
        this.lambdaEndNanos = lambdaEndNanos;
    }

    /**
     * @param remainingMillis the Lambda context's remaining time when the invocation started. Quarkus's mock
     *        event server (dev and test mode) sends no deadline and reports nonsense here: anything outside
     *        Lambda's possible range means {@link #ASSUMED_BUDGET}.
     * @param margin kept in reserve before Lambda's own timeout
     * @param minAttempt the shortest call to the API worth starting ({@code VERIFY_MIN_ATTEMPT_TIME})
     */
    public static Deadline of(TimeSource time, long startNanos, long remainingMillis, Duration margin,
            Duration minAttempt) {
        Duration remaining = remainingMillis <= 0 || remainingMillis > LAMBDA_MAX_TIMEOUT_MS
                ? ASSUMED_BUDGET
                : Duration.ofMillis(remainingMillis);
        long lambdaEnd = startNanos + remaining.toNanos();
        return new Deadline(time, lambdaEnd - margin.toNanos(), minAttempt, lambdaEnd);
    }

    /** Time left before the margin; zero or negative once it is reached. */
    public Duration remaining() {
        return Duration.ofNanos(endNanos - time.nanoTime());
    }

    /** The time left, but no more than {@code cap}: how long one call may take. */
    public Duration remainingAtMost(Duration cap) {
        Duration left = remaining();
        return left.compareTo(cap) < 0 ? left : cap;
    }

    /**
     * Whether {@code wait} can pass and still leave time for an attempt that can hold a realistic answer. A shorter
     * attempt would send a request the API may charge for and then give up before the answer could arrive: paid
     * for, and answered {@code outcome_unknown}.
     */
    public boolean allows(Duration wait) {
        return remaining().minus(wait).compareTo(minAttempt) >= 0;
    }

    /** No attempt can start any more. */
    public boolean passed() {
        return !allows(Duration.ZERO);
    }

    /**
     * The deadline of a step that must leave time for one attempt after it (reading the token): ends
     * {@code VERIFY_MIN_ATTEMPT_TIME} earlier. A step that cannot end by then could not be followed by a call anyway.
     */
    public Deadline leavingOneAttempt() {
        return new Deadline(time, endNanos - minAttempt.toNanos(), minAttempt, lambdaEndNanos);
    }

    /** This deadline, or {@code limit} from now if that comes first. */
    public Deadline within(Duration limit) {
        return new Deadline(time, Math.min(endNanos, time.nanoTime() + limit.toNanos()), minAttempt, lambdaEndNanos);
    }

    /**
     * A deadline for bookkeeping after the answer is known (recording it for replay, giving back a reservation): it
     * may reach into the margin, up to {@link #ANSWER_RESERVE} before Lambda's own timeout.
     */
    public Deadline afterAnswer() {
        return new Deadline(time, Math.max(endNanos, lambdaEndNanos - ANSWER_RESERVE.toNanos()), minAttempt,
                lambdaEndNanos);
    }

    /**
     * Time left before Lambda's own timeout, margin included: how long whatever this invocation holds (a lock on an
     * idempotency key) may still be in use. Past it, the invocation is dead for sure.
     */
    public Duration untilLambdaTimeout() {
        return Duration.ofNanos(lambdaEndNanos - time.nanoTime());
    }
}
