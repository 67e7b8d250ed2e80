package cloud.phonematch.verify.verification;

import java.time.Duration;
import java.util.Optional;

import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;

/**
 * Calls the API until there is an answer worth returning: the token, the one token-rotation retry, then the
 * {@link ChargeSafeRetryPolicy}, every attempt and every read of the token bounded by the invocation's
 * {@link Deadline}. {@code calls} always counts the calls that went out, whatever ended the invocation.
 */
final class UpstreamAttempts {
    private final VerificationGateway gateway;
    private final TokenSource tokens;
    private final ChargeSafeRetryPolicy policy;
    private final Duration attemptTimeout;
    private final TimeSource time;
    private final Tracing tracing;

    UpstreamAttempts(VerificationGateway gateway, TokenSource tokens, ChargeSafeRetryPolicy policy,
            Duration attemptTimeout, TimeSource time, Tracing tracing) {
        this.gateway = gateway;
        this.tokens = tokens;
        this.policy = policy;
        this.attemptTimeout = attemptTimeout;
        this.time = time;
        this.tracing = tracing;
    }

    /** The last answer, how many calls it took, and the time spent inside them. */
    record Result(UpstreamAnswer answer, int calls, long upstreamNanos) {
    }

    /** One invocation's calls: what has been spent so far, and whether any of it may have been charged. */
    private final class Run {
        int calls;
        int transientAttempts;
        boolean tokenRefreshed;
        boolean anyCallMaybeCharged;
        long upstreamNanos;

        Result answered(UpstreamAnswer answer) {
            return new Result(answer, calls, upstreamNanos);
        }

        Result failed(Failure failure, UpstreamAnswer.RefusalKind kind, String traceId) {
            return new Result(new UpstreamAnswer.Refused(policy.finalFailure(failure, anyCallMaybeCharged), kind,
                    traceId), calls, upstreamNanos);
        }
    }

    /**
     * @param unsigned the request without its token; the token is read here, once an attempt is known to fit
     */
    Result run(UpstreamCall unsigned, Deadline deadline) {
        Run run = new Run();
        if (deadline.passed()) {
            return run.failed(noTimeLeft(), UpstreamAnswer.RefusalKind.FINAL, null);
        }
        UpstreamCall call;
        try {
            call = withToken(unsigned, deadline);
        } catch (FailureException e) {
            // The token could not be had (SECRETS_UNAVAILABLE or CONFIGURATION): no call was made.
            return run.failed(e.failure(), UpstreamAnswer.RefusalKind.FINAL, null);
        }
        while (true) {
            if (deadline.passed()) {
                // Lambda would kill the invocation before another attempt could hold an answer: answer now.
                return run.failed(noTimeLeft(), UpstreamAnswer.RefusalKind.FINAL, null);
            }
            Duration timeout = deadline.remainingAtMost(attemptTimeout);
            Tracing.Span span = tracing.begin("verification-api").annotate("attempt", run.calls + 1);
            long callStart = time.nanoTime();
            UpstreamAnswer answer = gateway.check(call, timeout);
            run.upstreamNanos += time.nanoTime() - callStart;
            endSpan(span, answer);
            if (!refusedByOpenCircuit(answer)) {
                // An open circuit refuses before anything is sent: not a call.
                run.calls++;
            }
            if (!(answer instanceof UpstreamAnswer.Refused refused)) {
                return run.answered(answer);
            }
            run.anyCallMaybeCharged |= refused.failure().outcomeUnknown();
            if (refused.kind() == UpstreamAnswer.RefusalKind.TOKEN_REJECTED && !run.tokenRefreshed) {
                // Not charged: a rejected token never reaches the engine. One re-read of the secret.
                run.tokenRefreshed = true;
                Optional<ApiToken> rotated;
                try {
                    rotated = tokens.refreshAfterRejection(call.token(), deadline);
                } catch (FailureException e) {
                    // The re-read failed: report that, with the call that was made.
                    return run.failed(e.failure(), UpstreamAnswer.RefusalKind.FINAL, refused.traceId());
                }
                if (rotated.isEmpty()) {
                    return run.failed(refused.failure(), refused.kind(), refused.traceId());
                }
                call = call.withToken(rotated.get());
                continue;
            }
            run.transientAttempts++;
            switch (policy.afterRefusal(refused, run.transientAttempts, deadline)) {
                case ChargeSafeRetryPolicy.Decision.GiveUp giveUp -> {
                    return run.failed(giveUp.failure(), refused.kind(), refused.traceId());
                }
                case ChargeSafeRetryPolicy.Decision.RetryAfter retry -> pause(retry.delay());
            }
        }
    }

    private static boolean refusedByOpenCircuit(UpstreamAnswer answer) {
        return answer instanceof UpstreamAnswer.Refused refused
                && refused.kind() == UpstreamAnswer.RefusalKind.CIRCUIT_OPEN;
    }

    /** Not charged: no attempt was started that could not hold an answer. */
    private static Failure noTimeLeft() {
        return Failure.of(ErrorType.UPSTREAM_TIMEOUT, "no time left before the function's deadline");
    }

    private UpstreamCall withToken(UpstreamCall unsigned, Deadline deadline) {
        return gateway.requiresToken() ? unsigned.withToken(tokens.current(deadline)) : unsigned;
    }

    /** Annotated with what came back: the result code, or the error type (no personal data). */
    private static void endSpan(Tracing.Span span, UpstreamAnswer answer) {
        switch (answer) {
            case UpstreamAnswer.Answered a -> {
                span.annotate("status", a.code().name()).annotate("result_code", a.code().code());
                span.end(false, false);
            }
            case UpstreamAnswer.Refused r -> {
                span.annotate("status", r.failure().type().name());
                r.failure().upstreamStatus().ifPresent(s -> span.annotate("upstream_status", s));
                boolean fault = r.kind() == UpstreamAnswer.RefusalKind.TRANSIENT;
                span.end(!fault, fault);
            }
        }
    }

    private void pause(Duration wait) {
        try {
            time.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
