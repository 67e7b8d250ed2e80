package cloud.phonematch.verify.verification;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.output.Language;
import cloud.phonematch.verify.output.Outcome;
import cloud.phonematch.verify.output.ResultCode;
import cloud.phonematch.verify.output.VerificationStatus;
import cloud.phonematch.verify.precheck.MobileNumbers;
import cloud.phonematch.verify.precheck.PersonNames;
import cloud.phonematch.verify.precheck.PreCheck;
import cloud.phonematch.verify.precheck.PreCheckResult;

/**
 * The verification, top to bottom: claim (idempotency key) → pre-check → a kept answer (reuse window) → token →
 * calls, each with a budget reservation of its own → settle, keep → output. The token and the calls are
 * {@link UpstreamAttempts}'s, bounded by the invocation's deadline. Start reading here.
 * <p>
 * Money rule: a call is sent again only when the {@link ChargeRule} says it cannot have been charged (or the operator
 * accepted paying twice); the rule is the one place that decides it, for the API, the records and the secret.
 */
@ApplicationScoped
public class VerificationFlow implements RenewableAfterRestore {

    private final PreCheck preCheck;
    private final VerificationRecords records;
    private final ResultReuse reuse;
    private final VerificationGateway gateway;
    private final UpstreamAttempts attempts;
    private final TimeSource time;
    /** The retries' jitter, drawn anew after a SnapStart restore so that restored containers do not retry in step. */
    private final RenewableRandom jitter = new RenewableRandom();

    public VerificationFlow(AttemptSettings config, ChargeRule rule, TokenSource tokens, VerificationGateway gateway,
            VerificationRecords records, SpendGuard spend, ResultReuse reuse, TimeSource time, Tracing tracing) {
        this.preCheck = new PreCheck(config.precheck());
        this.records = records;
        this.reuse = reuse;
        this.gateway = gateway;
        this.time = time;
        // Jitter only spreads retries; SecureRandom keeps it unpredictable across containers at no real cost.
        Retries retries = new Retries(rule, time, () -> jitter.current().nextDouble());
        Duration minAttempt = config.shortestAttempt();
        // No attempt is begun without time for its budget reservation and then for a call that can hold an answer.
        Retries.Schedule schedule = new Retries.Schedule(Math.max(1, config.maxAttempts()), config.retryBaseDelay(),
                config.retryMaxDelay(), config.attemptTimeout(), minAttempt.plus(spend.leadTime()));
        this.attempts = new UpstreamAttempts(gateway, tokens, spend, retries, schedule, time, tracing);
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
        VerificationRecords.KeyedRequest keyed = new VerificationRecords.KeyedRequest(request.idempotencyKey(),
                request.callerScope(), name, mobile, request.fresh());
        return switch (records.claim(keyed, invocation.deadline())) {
            case VerificationRecords.Claim.Replayed replayed -> givenAgain(replayed.verdict(), request.language(),
                    mobile, invocation, OutcomeRendering.Given.REPLAYED);
            case VerificationRecords.Claim.Refused refused ->
                    VerificationResult.Failed.withoutACall(refused.failure(), MobileNumbers.mask(keyed.mobile()));
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
                Optional<Verdict> kept = reuse.recent(input.name(), input.mobile(), invocation.deadline());
                if (kept.isPresent()) {
                    return givenAgain(kept.get(), request.language(), input.mobile(), invocation,
                            OutcomeRendering.Given.REUSED);
                }
            } catch (FailureException e) {
                return VerificationResult.Failed.withoutACall(e.failure(), masked);
            }
        }
        VerificationResult result = called(request, input, masked, invocation);
        if (reuse.enabled() && result instanceof VerificationResult.Answered answered
                && answered.verdict().chargedKind()) {
            reuse.remember(input.name(), input.mobile(), answered.verdict(), invocation.deadline());
        }
        return result;
    }

    /** The calls to the API and what they came to. */
    private VerificationResult called(VerificationRequest request, PreCheckResult.Passed input, String masked,
            Invocation invocation) {
        UpstreamAttempts.Result result = attempts.run(
                new UpstreamCall(input.name(), input.mobile(), null, invocation.correlationId()), request.caller(),
                invocation.deadline());

        long upstreamMs = result.upstreamNanos() / 1_000_000L;
        return switch (result.answer()) {
            case UpstreamAnswer.Refused refused -> new VerificationResult.Failed(
                    refused.failure().withCalls(new Failure.Calls(result.calls(), result.possiblyCharged())),
                    result.calls(), masked, refused.traceId(), upstreamMs);
            case UpstreamAnswer.Answered answered -> {
                Verdict verdict = new Verdict(answered.code().status().orElseThrow(), answered.code(), masked,
                        gateway.callsTheApi() ? Outcome.AnsweredBy.API : Outcome.AnsweredBy.SANDBOX, answered.traceId(),
                        null);
                yield new VerificationResult.Answered(verdict, OutcomeRendering.render(verdict, request.language(),
                        () -> input.validated().or(() -> MobileNumbers.mainlandMobile(input.mobile())), invocation,
                        elapsedMs(invocation), result.calls(), result.possiblyCharged(), OutcomeRendering.Given.NOW),
                        upstreamMs);
            }
        };
    }

    private VerificationResult answeredLocally(PreCheckResult.Rejected rejected, Language language,
            Invocation invocation) {
        VerificationStatus status = rejected.reason().refusesName()
                ? VerificationStatus.INVALID_NAME
                : VerificationStatus.INVALID_MOBILE;
        Verdict verdict = new Verdict(status, ResultCode.forLocalRejection(status), rejected.maskedMobile(),
                Outcome.AnsweredBy.PRECHECK, null, rejected.reason());
        return new VerificationResult.Answered(verdict, OutcomeRendering.render(verdict, language, Optional::empty,
                invocation, elapsedMs(invocation), 0, 0, OutcomeRendering.Given.NOW), 0);
    }

    /** A kept verdict, worded for this request: nothing read from the API, sent or charged. */
    private VerificationResult givenAgain(Verdict verdict, Language language, String mobile, Invocation invocation,
            OutcomeRendering.Given given) {
        return new VerificationResult.Answered(verdict, OutcomeRendering.render(verdict, language,
                () -> MobileNumbers.mainlandMobile(mobile), invocation, elapsedMs(invocation), 0, 0, given), 0);
    }

    private long elapsedMs(Invocation invocation) {
        return (time.nanoTime() - invocation.startNanos()) / 1_000_000L;
    }
}
