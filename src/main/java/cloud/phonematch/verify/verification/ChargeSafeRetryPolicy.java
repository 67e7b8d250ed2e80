package cloud.phonematch.verify.verification;

import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

import cloud.phonematch.verify.output.Charge;
import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;

/**
 * Whether and when to call the API again, and what the caller is told when it stops. This is the charge-safety
 * rule, in one place:
 * <ul>
 * <li>A request is repeated only if it <b>cannot have been charged</b> ({@link Charge#NOT_CHARGED}): the API
 * refused it before charging (429, 500, 503, a connection that never opened) or answered with an uncharged engine
 * error (-2, -3).</li>
 * <li>A business answer (0, 1, -1, -4, -5, -6), a 4xx, an open circuit or a malformed answer is final.</li>
 * <li>A request that was sent but got no usable answer (read timeout, reset after sending, 502/504 from a gateway)
 * may already have been charged ({@link Charge#MAYBE_CHARGED}): repeated only when the operator opts in
 * ({@code VERIFY_RETRY_ON_TIMEOUT=true}). Once any call of an invocation may have been charged, the invocation's
 * failure says {@code outcome_unknown} and is not retryable (again unless the operator opted in).</li>
 * <li>Waits are exponential with full jitter (a uniform random wait up to
 * {@code min(max, base * 2^(n-1))}), a 429's {@code Retry-After} is honoured exactly, and no wait is taken
 * that would leave too little time before the invocation's deadline.</li>
 * </ul>
 * Pure: the random source and the deadline are parameters.
 */
public final class ChargeSafeRetryPolicy {
    private final int maxAttempts;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final boolean retryMaybeCharged;
    private final DoubleSupplier random;

    public ChargeSafeRetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, boolean retryMaybeCharged,
            DoubleSupplier random) {
        this.maxAttempts = Math.max(1, maxAttempts);
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        this.retryMaybeCharged = retryMaybeCharged;
        this.random = random;
    }

    /** What to do after a refusal. */
    public sealed interface Decision {
        /** Wait, then call again. */
        record RetryAfter(Duration delay) implements Decision {
        }

        /** Stop and answer with this failure. */
        record GiveUp(Failure failure) implements Decision {
        }
    }

    /**
     * @param refused the refusal of the attempt that just ended
     * @param attemptsMade transient attempts made so far (the first call counts, the token retry does not)
     */
    public Decision afterRefusal(UpstreamAnswer.Refused refused, int attemptsMade, Deadline deadline) {
        Failure failure = refused.failure();
        if (!isRepeatable(refused) || attemptsMade >= maxAttempts) {
            return new Decision.GiveUp(failure);
        }
        Optional<Duration> retryAfter = failure.type() == ErrorType.RATE_LIMITED
                && failure.retryAfterSeconds().isPresent()
                        ? Optional.of(Duration.ofSeconds(failure.retryAfterSeconds().getAsLong()))
                        : Optional.empty();
        Duration wait = retryAfter.orElseGet(() -> backoff(attemptsMade));
        if (!deadline.allows(wait)) {
            // Waiting would leave no time for the next attempt: answer now with what we know (for a 429,
            // the caller gets retry_after_seconds and can wait itself).
            return new Decision.GiveUp(failure);
        }
        return new Decision.RetryAfter(wait);
    }

    /**
     * The failure an invocation ends with. When any of its calls may have been charged, so may the invocation,
     * whatever the last call's failure was; such a failure is retryable only when the operator accepted that risk.
     *
     * @param anyCallMaybeCharged whether an earlier call of this invocation may have been charged
     */
    public Failure finalFailure(Failure last, boolean anyCallMaybeCharged) {
        Failure failure = anyCallMaybeCharged && !last.outcomeUnknown() ? last.maybeCharged() : last;
        return failure.outcomeUnknown() && retryMaybeCharged ? failure.retryableDespiteCharge() : failure;
    }

    private boolean isRepeatable(UpstreamAnswer.Refused refused) {
        return switch (refused.kind()) {
            case TRANSIENT -> refused.failure().charge() == Charge.NOT_CHARGED || retryMaybeCharged;
            case TOKEN_REJECTED, CIRCUIT_OPEN, FINAL -> false;
        };
    }

    /** Full jitter: uniform in [0, min(max, base * 2^(n-1))] for the n-th retry. */
    Duration backoff(int retryNumber) {
        long bound = baseDelay.toMillis() << Math.min(30, Math.max(0, retryNumber - 1));
        bound = Math.min(maxDelay.toMillis(), bound);
        return Duration.ofMillis((long) Math.floor(random.getAsDouble() * (bound + 1)));
    }
}
