package cloud.phonematch.verify.upstream;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Set;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.verification.ChargeRule;
import cloud.phonematch.verify.verification.RenewableAfterRestore;
import cloud.phonematch.verify.verification.UpstreamAnswer;
import cloud.phonematch.verify.verification.UpstreamCall;
import cloud.phonematch.verify.verification.VerificationGateway;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
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
 * Built with the programmatic API because its thresholds are typed values of {@link ApiSettings}; it is
 * created with this bean, on first use, and keeps its state for the life of the container — except across a
 * SnapStart restore, after which the circuit starts closed with an empty window.
 */
public final class CircuitBreakingVerificationGateway implements VerificationGateway, RenewableAfterRestore {
    /** The API's circuit breaker, under this name in SmallRye's {@link CircuitBreakerMaintenance}. */
    public static final String NAME = "verification-api";

    private static final Logger LOG = Logger.getLogger(CircuitBreakingVerificationGateway.class);
    private static final Set<ErrorType> COUNTED = EnumSet.of(ErrorType.UPSTREAM_UNAVAILABLE,
            ErrorType.UPSTREAM_TIMEOUT, ErrorType.ENGINE_ERROR);

    private final VerificationGateway delegate;
    /** {@link #NAME}, or null for a circuit of its own that no name reaches. */
    private final String name;
    private final TypedGuard<UpstreamAnswer> guard;

    /** The API's circuit breaker, {@link #NAME}: one per container. */
    public CircuitBreakingVerificationGateway(VerificationGateway delegate, ApiSettings config) {
        this(delegate, config, NAME);
    }

    /**
     * The same policy around {@code delegate} with a circuit of its own, registered under no name: what the priming at
     * init runs its calls through, so that they leave nothing in the API's circuit.
     */
    static CircuitBreakingVerificationGateway unregistered(VerificationGateway delegate, ApiSettings config) {
        return new CircuitBreakingVerificationGateway(delegate, config, null);
    }

    private CircuitBreakingVerificationGateway(VerificationGateway delegate, ApiSettings config, String name) {
        this.delegate = delegate;
        this.name = name;
        this.guard = TypedGuard.create(UpstreamAnswer.class)
                .withCircuitBreaker()
                .with(breaker -> {
                    if (name != null) {
                        // Only the API's own circuit is named, and only its changes are news.
                        breaker.name(name).onStateChange(state -> LOG.infof("verification API circuit is now %s",
                                state));
                    }
                })
                .requestVolumeThreshold(config.circuitRequestVolume())
                .failureRatio(config.circuitFailureRatio())
                .delay(config.circuitDelay().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(1)
                .failOn(CountedFailure.class)
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
            // the request went out is unknown: for the charge rule, no reply after it may have arrived.
            LOG.errorf("unexpected %s around the API call", unexpected.getClass().getName());
            return new UpstreamAnswer.Refused(
                    ChargeRule.noReply(true).mark(Failure.of(ErrorType.UPSTREAM_UNAVAILABLE, "the API call failed")),
                    UpstreamAnswer.RefusalKind.TRANSIENT, null);
        }
    }

    /**
     * After a SnapStart restore the circuit starts closed with an empty window: what the snapshot's container saw of
     * the API says nothing about the API now.
     */
    @Override
    public void renewAfterRestore() {
        if (name != null) {
            CircuitBreakerMaintenance.get().reset(name);
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

    @Override
    public boolean callsTheApi() {
        return delegate.callsTheApi();
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
