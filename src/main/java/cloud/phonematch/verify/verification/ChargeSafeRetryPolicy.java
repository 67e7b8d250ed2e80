package cloud.phonematch.verify.verification;

import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.verification.UpstreamAnswer.RefusalKind;

/**
 * Whether and when to call the API again. This is the charge-safety rule, in one place:
 * <ul>
 * <li>A request is repeated only if it <b>cannot have been charged</b>: the API refused it before charging
 * (429, 5xx, a connection that never opened) or answered with an uncharged engine error (-2, -3).</li>
 * <li>A business answer (0, 1, -1, -4, -5, -6), a 4xx, an open circuit or a malformed answer is final.</li>
 * <li>A request that was sent but got no answer (read timeout, reset after sending) may already have been
 * charged: repeated only when the operator opts in ({@code VERIFY_RETRY_ON_TIMEOUT=true}).</li>
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
        if (!isRepeatable(refused.kind()) || attemptsMade >= maxAttempts) {
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

    private boolean isRepeatable(RefusalKind kind) {
        return switch (kind) {
            case UNCHARGED_TRANSIENT -> true;
            case MAYBE_CHARGED -> retryMaybeCharged;
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
