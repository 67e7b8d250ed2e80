package cloud.phonematch.verify.upstream;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Set;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

import cloud.phonematch.verify.config.VerifyConfig;
import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.verification.UpstreamAnswer;
import cloud.phonematch.verify.verification.UpstreamCall;
import cloud.phonematch.verify.verification.VerificationGateway;
import io.smallrye.faulttolerance.api.TypedGuard;

/**
 * A circuit breaker per container around every call to the API (SmallRye Fault Tolerance).
 * <p>
 * Policy: the circuit opens when at least {@code VERIFY_CIRCUIT_FAILURE_RATIO} of the last
 * {@code VERIFY_CIRCUIT_REQUEST_VOLUME} calls failed, stays open {@code VERIFY_CIRCUIT_DELAY}, then lets one
 * trial call through. Failures that count are the API's own troubles — 5xx, timeouts, connection errors,
 * engine errors -2/-3; business answers and 4xx (the caller's or our own mistakes) do not. While open, calls
 * are refused here as {@code UPSTREAM_UNAVAILABLE} with {@code circuit_open}, without touching the network.
 * <p>
 * Built with the programmatic API because its thresholds are typed values of {@link VerifyConfig}; it is
 * created with this bean, on first use, and keeps its state for the life of the container.
 */
public final class CircuitBreakingGateway implements VerificationGateway {
    private static final Logger LOG = Logger.getLogger(CircuitBreakingGateway.class);
    private static final Set<ErrorType> COUNTED = EnumSet.of(ErrorType.UPSTREAM_UNAVAILABLE,
            ErrorType.UPSTREAM_TIMEOUT, ErrorType.ENGINE_ERROR);

    private final VerificationGateway delegate;
    private final TypedGuard<UpstreamAnswer> guard;

    public CircuitBreakingGateway(VerificationGateway delegate, VerifyConfig config) {
        this.delegate = delegate;
        this.guard = TypedGuard.create(UpstreamAnswer.class)
                .withCircuitBreaker()
                .name("verification-api")
                .requestVolumeThreshold(config.circuitRequestVolume())
                .failureRatio(config.circuitFailureRatio())
                .delay(config.circuitDelay().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(1)
                .failOn(CountedFailure.class)
                .onStateChange(state -> LOG.infof("verification API circuit is now %s", state))
                .done()
                .build();
    }

    @Override
    public UpstreamAnswer check(UpstreamCall call, Duration timeout) {
        try {
            return guard.call(() -> {
                UpstreamAnswer answer = delegate.check(call, timeout);
                if (countsAsFailure(answer)) {
                    throw new CountedFailure(answer);
                }
                return answer;
            });
        } catch (CountedFailure counted) {
            return counted.answer;
        } catch (CircuitBreakerOpenException open) {
            return new UpstreamAnswer.Refused(Failure.of(ErrorType.UPSTREAM_UNAVAILABLE,
                    "the API failed repeatedly; calls are paused for a short while").withCircuitOpen(),
                    UpstreamAnswer.RefusalKind.CIRCUIT_OPEN, null);
        } catch (Exception unexpected) {
            // The delegate never throws by contract; anything here is a bug, reported without its message. Whether
            // the request went out is unknown, so it may have been charged.
            LOG.errorf("unexpected %s around the API call", unexpected.getClass().getName());
            return new UpstreamAnswer.Refused(
                    Failure.of(ErrorType.UPSTREAM_UNAVAILABLE, "the API call failed").maybeCharged(),
                    UpstreamAnswer.RefusalKind.TRANSIENT, null);
        }
    }

    static boolean countsAsFailure(UpstreamAnswer answer) {
        return answer instanceof UpstreamAnswer.Refused refused && COUNTED.contains(refused.failure().type());
    }

    @Override
    public boolean requiresToken() {
        return delegate.requiresToken();
    }

    @Override
    public boolean charges() {
        return delegate.charges();
    }

    /** Carries a counted failure through the guard; no stack trace, no message. */
    private static final class CountedFailure extends RuntimeException {
        private final transient UpstreamAnswer answer;

        CountedFailure(UpstreamAnswer answer) {
            super(null, null, false, false);
            this.answer = answer;
        }
    }
}
