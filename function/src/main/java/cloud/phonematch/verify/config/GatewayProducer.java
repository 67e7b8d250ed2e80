package cloud.phonematch.verify.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import cloud.phonematch.verify.sandbox.SandboxVerificationGateway;
import cloud.phonematch.verify.upstream.ApiSettings;
import cloud.phonematch.verify.upstream.CircuitBreakingVerificationGateway;
import cloud.phonematch.verify.upstream.LiveVerificationGateway;
import cloud.phonematch.verify.verification.VerificationGateway;

/**
 * Chooses the live API (behind its circuit breaker) or the sandbox from {@code VERIFY_UPSTREAM}; only the
 * chosen one is created.
 */
@ApplicationScoped
public class GatewayProducer {

    @Produces
    @Singleton
    VerificationGateway gateway(ApiSettings config, Instance<LiveVerificationGateway> live,
            Instance<SandboxVerificationGateway> sandbox) {
        return switch (config.upstream()) {
            case LIVE -> new CircuitBreakingVerificationGateway(live.get(), config);
            case SANDBOX -> sandbox.get();
        };
    }
}
