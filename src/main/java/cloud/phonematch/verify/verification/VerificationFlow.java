package cloud.phonematch.verify.verification;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import cloud.phonematch.verify.config.VerifyConfig;
import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.output.Language;
import cloud.phonematch.verify.output.Outcome;
import cloud.phonematch.verify.output.ResultCode;
import cloud.phonematch.verify.output.VerificationStatus;
import cloud.phonematch.verify.precheck.MobileNumbers;
import cloud.phonematch.verify.precheck.PreCheck;
import cloud.phonematch.verify.precheck.PreCheckResult;

/**
 * The verification, top to bottom: pre-check → token → call → map → output. Start reading here.
 * <p>
 * Money rule: a request is repeated only when it cannot have been charged. In this class that is the one
 * token-rotation retry after a 401/token_mismatched, which the API never charges.
 */
@ApplicationScoped
public class VerificationFlow {

    private final PreCheck preCheck;
    private final TokenSource tokens;
    private final VerificationGateway gateway;

    public VerificationFlow(VerifyConfig config, TokenSource tokens, VerificationGateway gateway) {
        this.preCheck = new PreCheck(config.precheck());
        this.tokens = tokens;
        this.gateway = gateway;
    }

    public VerificationResult verify(VerificationRequest request, Invocation invocation) {
        PreCheckResult checked = preCheck.check(request.name(), request.mobile());
        if (checked instanceof PreCheckResult.Rejected rejected) {
            return answeredLocally(rejected, request.language(), invocation);
        }
        PreCheckResult.Passed input = (PreCheckResult.Passed) checked;
        String masked = MobileNumbers.mask(input.mobile());

        ApiToken token;
        try {
            token = gateway.requiresToken() ? tokens.current() : null;
        } catch (FailureException e) {
            return new VerificationResult.Failed(e.failure(), 0, masked, null);
        }

        UpstreamCall call = new UpstreamCall(input.name(), input.mobile(), token, invocation.correlationId());
        int attempts = 1;
        UpstreamAnswer answer = gateway.check(call);

        if (isTokenRejection(answer)) {
            Optional<ApiToken> rotated;
            try {
                rotated = tokens.refreshAfterRejection(token);
            } catch (FailureException e) {
                return new VerificationResult.Failed(e.failure(), attempts, masked, answer.traceId());
            }
            if (rotated.isEmpty()) {
                return new VerificationResult.Failed(((UpstreamAnswer.Refused) answer).failure(), attempts, masked,
                        answer.traceId());
            }
            attempts++;
            answer = gateway.check(call.withToken(rotated.get()));
            if (isTokenRejection(answer)) {
                return new VerificationResult.Failed(((UpstreamAnswer.Refused) answer).failure(), attempts, masked,
                        answer.traceId());
            }
        }
        return toResult(answer, input.mobile(), request.language(), attempts, invocation);
    }

    private VerificationResult toResult(UpstreamAnswer answer, String mobile, Language language, int attempts,
            Invocation invocation) {
        String masked = MobileNumbers.mask(mobile);
        return switch (answer) {
            case UpstreamAnswer.Refused refused ->
                new VerificationResult.Failed(refused.failure(), attempts, masked, refused.traceId());
            case UpstreamAnswer.Answered answered -> {
                ResultCode code = answered.code();
                Optional<VerificationStatus> status = code.status();
                if (status.isEmpty()) {
                    ErrorType type = code.errorType().orElse(ErrorType.UPSTREAM_CONTRACT);
                    Failure failure = Failure.of(type, code.description(Language.EN))
                            .withUpstream(200, Integer.toString(code.code()));
                    yield new VerificationResult.Failed(failure, attempts, masked, answered.traceId());
                }
                yield new VerificationResult.Answered(new Outcome(status.get(), code, code.description(language),
                        masked, carrierOf(mobile, status.get(), language), true, attempts, invocation.requestId(),
                        invocation.correlationId(), answered.traceId(), elapsedMs(invocation)));
            }
        };
    }

    private VerificationResult answeredLocally(PreCheckResult.Rejected rejected, Language language,
            Invocation invocation) {
        VerificationStatus status = rejected.reason() == PreCheckResult.Reason.INVALID_NAME
                ? VerificationStatus.INVALID_NAME
                : VerificationStatus.INVALID_MOBILE;
        ResultCode code = ResultCode.forLocalRejection(status);
        return new VerificationResult.Answered(new Outcome(status, code, code.description(language),
                rejected.maskedMobile(), null, false, 0, invocation.requestId(), invocation.correlationId(), null,
                elapsedMs(invocation)));
    }

    /** The carrier is only named for a number the API accepted as a mobile number. */
    private static String carrierOf(String mobile, VerificationStatus status, Language language) {
        if (status == VerificationStatus.INVALID_MOBILE || !MobileNumbers.isValidMainlandMobile(mobile)) {
            return null;
        }
        return MobileNumbers.carrier(mobile, language.locale()).orElse(null);
    }

    private static boolean isTokenRejection(UpstreamAnswer answer) {
        return answer instanceof UpstreamAnswer.Refused r && r.kind() == UpstreamAnswer.RefusalKind.TOKEN_REJECTED;
    }

    private static long elapsedMs(Invocation invocation) {
        return (System.nanoTime() - invocation.startNanos()) / 1_000_000L;
    }
}
