package cloud.phonematch.verify.verification;

import java.security.SecureRandom;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import cloud.phonematch.verify.config.VerifyConfig;
import cloud.phonematch.verify.output.Language;
import cloud.phonematch.verify.output.Outcome;
import cloud.phonematch.verify.output.ResultCode;
import cloud.phonematch.verify.output.VerificationStatus;
import cloud.phonematch.verify.precheck.MobileNumbers;
import cloud.phonematch.verify.precheck.PersonNames;
import cloud.phonematch.verify.precheck.PreCheck;
import cloud.phonematch.verify.precheck.PreCheckResult;

/**
 * The verification, top to bottom: claim (idempotency key) → pre-check → a kept answer (reuse window) → reserve
 * (daily budget) → token → call (with the retry policy) → map → settle, keep → output. The token and
 * the calls are {@link UpstreamAttempts}'s, both bounded by the invocation's deadline.
 * Start reading here.
 * <p>
 * Money rule: a request is repeated only when it cannot have been charged — see
 * {@link ChargeSafeRetryPolicy}, the one place that decides it.
 */
@ApplicationScoped
public class VerificationFlow implements UniquePerContainer {

    private final PreCheck preCheck;
    private final VerificationRecords records;
    private final SpendGuard spend;
    private final ResultReuse reuse;
    private final VerificationGateway gateway;
    private final UpstreamAttempts attempts;
    private final TimeSource time;
    /** The retries' jitter, drawn anew after a SnapStart restore so that restored containers do not retry in step. */
    private final RenewableRandom jitter = new RenewableRandom();

    public VerificationFlow(VerifyConfig config, TokenSource tokens, VerificationGateway gateway,
            VerificationRecords records, SpendGuard spend, ResultReuse reuse, TimeSource time, Tracing tracing) {
        this.preCheck = new PreCheck(config.precheck());
        this.records = records;
        this.spend = spend;
        this.reuse = reuse;
        this.gateway = gateway;
        this.time = time;
        // Jitter only spreads retries; SecureRandom keeps it unpredictable across containers at no real cost.
        ChargeSafeRetryPolicy policy = new ChargeSafeRetryPolicy(config.maxAttempts(), config.retryBaseDelay(),
                config.retryMaxDelay(), config.retryOnTimeout(), () -> jitter.current().nextDouble());
        this.attempts = new UpstreamAttempts(gateway, tokens, policy, config.attemptTimeout(), time, tracing);
    }

    @Override
    public void renewAfterRestore() {
        jitter.renewAfterRestore();
    }

    /** The generator the retries' jitter is drawn from now. */
    SecureRandom jitter() {
        return jitter.current();
    }

    /**
     * A request with an idempotency key is claimed first (before the pre-check, so that its answer, local or not,
     * is what a repeat gets) and settled with whatever it ended with; one without a key is verified as it is.
     */
    public VerificationResult verify(VerificationRequest request, Invocation invocation) {
        // Normalized once: the claim's fingerprint and the pre-check use the same values the API would receive.
        String name = PersonNames.normalize(request.name());
        String mobile = MobileNumbers.normalize(request.mobile());
        if (request.idempotencyKey() == null) {
            return verifyOnce(request, name, mobile, invocation);
        }
        VerificationRecords.KeyedRequest keyed = new VerificationRecords.KeyedRequest(request.idempotencyKey(), name,
                mobile);
        return switch (records.claim(keyed, invocation.deadline())) {
            case VerificationRecords.Claim.Replayed replayed -> new VerificationResult.Answered(replayed.outcome()
                    .replayedAs(invocation.requestId(), invocation.correlationId(), elapsedMs(invocation)), 0);
            case VerificationRecords.Claim.Refused refused ->
                    VerificationResult.Failed.beforeAnyCall(refused.failure(), MobileNumbers.mask(keyed.mobile()));
            case VerificationRecords.Claim.Granted granted -> {
                VerificationResult result = verifyOnce(request, name, mobile, invocation);
                records.settle(granted, result, invocation.deadline());
                yield result;
            }
        };
    }

    private VerificationResult verifyOnce(VerificationRequest request, String name, String mobile,
            Invocation invocation) {
        PreCheckResult checked = preCheck.checkNormalized(name, mobile);
        if (checked instanceof PreCheckResult.Rejected rejected) {
            return answeredLocally(rejected, request.language(), invocation);
        }
        PreCheckResult.Passed input = (PreCheckResult.Passed) checked;
        String masked = MobileNumbers.mask(input.mobile());

        boolean reusing = gateway.charges() && reuse.enabled() && !request.fresh();
        if (reusing) {
            try {
                Optional<Outcome> kept = reuse.recent(input.name(), input.mobile(), invocation.deadline());
                if (kept.isPresent()) {
                    return new VerificationResult.Answered(kept.get().reusedAs(invocation.requestId(),
                            invocation.correlationId(), elapsedMs(invocation)), 0);
                }
            } catch (FailureException e) {
                return VerificationResult.Failed.beforeAnyCall(e.failure(), masked);
            }
        }
        SpendGuard.Reservation reservation = gateway.charges() ? spend.reserve(invocation.deadline())
                : new SpendGuard.Reservation.Unlimited();
        if (reservation instanceof SpendGuard.Reservation.Refused refused) {
            return VerificationResult.Failed.beforeAnyCall(refused.failure(), masked);
        }
        VerificationResult result = called(request, input, masked, invocation);
        if (reservation instanceof SpendGuard.Reservation.Reserved reserved) {
            spend.settle(reserved, result, invocation.deadline());
        }
        if (reuse.enabled() && result instanceof VerificationResult.Answered answered
                && answered.outcome().billable()) {
            reuse.remember(input.name(), input.mobile(), answered.outcome(), invocation.deadline());
        }
        return result;
    }

    /** The calls to the API and what they came to. */
    private VerificationResult called(VerificationRequest request, PreCheckResult.Passed input, String masked,
            Invocation invocation) {
        UpstreamAttempts.Result result = attempts.run(
                new UpstreamCall(input.name(), input.mobile(), null, invocation.correlationId()),
                invocation.deadline());

        long upstreamMs = result.upstreamNanos() / 1_000_000L;
        return switch (result.answer()) {
            case UpstreamAnswer.Refused refused -> new VerificationResult.Failed(refused.failure(), result.calls(),
                    masked, refused.traceId(), upstreamMs);
            case UpstreamAnswer.Answered answered -> {
                VerificationStatus status = answered.code().status().orElseThrow();
                Language language = request.language();
                yield new VerificationResult.Answered(new Outcome(status, answered.code(),
                        answered.code().description(language), masked,
                        carrierOf(input, status, language),
                        gateway.charges() ? Outcome.AnsweredBy.API : Outcome.AnsweredBy.SANDBOX, result.calls(),
                        invocation.requestId(),
                        invocation.correlationId(), answered.traceId(), elapsedMs(invocation), null), upstreamMs);
            }
        };
    }

    private VerificationResult answeredLocally(PreCheckResult.Rejected rejected, Language language,
            Invocation invocation) {
        VerificationStatus status = rejected.reason().refusesName()
                ? VerificationStatus.INVALID_NAME
                : VerificationStatus.INVALID_MOBILE;
        ResultCode code = ResultCode.forLocalRejection(status);
        return new VerificationResult.Answered(new Outcome(status, code, code.description(language),
                rejected.maskedMobile(), null, Outcome.AnsweredBy.PRECHECK, 0, invocation.requestId(),
                invocation.correlationId(), null,
                elapsedMs(invocation), rejected.reason().hint(language.locale())), 0);
    }

    /**
     * The carrier is only named for a number the API accepted as a mobile number that libphonenumber also
     * considers a valid mainland mobile. The enforcing pre-check has already parsed it; otherwise it is
     * parsed here, once.
     */
    private static String carrierOf(PreCheckResult.Passed input, VerificationStatus status, Language language) {
        if (status == VerificationStatus.INVALID_MOBILE) {
            return null;
        }
        return input.validated().or(() -> MobileNumbers.mainlandMobile(input.mobile()))
                .flatMap(mobile -> mobile.carrier(language.locale())).orElse(null);
    }

    private long elapsedMs(Invocation invocation) {
        return (time.nanoTime() - invocation.startNanos()) / 1_000_000L;
    }
}
