package cloud.phonematch.verify.verification;

import java.time.Duration;
import java.util.Optional;

import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;

/**
 * Calls the API until there is an answer worth returning: the one token-rotation retry, then the
 * {@link ChargeSafeRetryPolicy}, every attempt bounded by the invocation's {@link Deadline}.
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

    Result run(UpstreamCall firstCall, Deadline deadline) {
        UpstreamCall call = firstCall;
        int calls = 0;
        int transientAttempts = 0;
        boolean tokenRefreshed = false;
        long upstreamNanos = 0;
        while (true) {
            if (deadline.passed()) {
                // Lambda would kill the invocation before another attempt could end: answer now.
                return new Result(new UpstreamAnswer.Refused(
                        Failure.of(ErrorType.UPSTREAM_TIMEOUT, "no time left before the function's deadline"),
                        UpstreamAnswer.RefusalKind.FINAL, null), calls, upstreamNanos);
            }
            Duration timeout = min(attemptTimeout, deadline.remaining());
            calls++;
            Tracing.Span span = tracing.begin("verification-api").annotate("attempt", calls);
            long callStart = time.nanoTime();
            UpstreamAnswer answer = gateway.check(call, timeout);
            upstreamNanos += time.nanoTime() - callStart;
            endSpan(span, answer);
            if (!(answer instanceof UpstreamAnswer.Refused refused)) {
                return new Result(answer, calls, upstreamNanos);
            }
            if (refused.kind() == UpstreamAnswer.RefusalKind.TOKEN_REJECTED && !tokenRefreshed) {
                // Not charged: a rejected token never reaches the engine. One re-read of the secret.
                tokenRefreshed = true;
                Optional<ApiToken> rotated = tokens.refreshAfterRejection(call.token());
                if (rotated.isEmpty()) {
                    return new Result(answer, calls, upstreamNanos);
                }
                call = call.withToken(rotated.get());
                continue;
            }
            transientAttempts++;
            switch (policy.afterRefusal(refused, transientAttempts, deadline)) {
                case ChargeSafeRetryPolicy.Decision.GiveUp giveUp -> {
                    return new Result(new UpstreamAnswer.Refused(giveUp.failure(), refused.kind(),
                            refused.traceId()), calls, upstreamNanos);
                }
                case ChargeSafeRetryPolicy.Decision.RetryAfter retry -> pause(retry.delay());
            }
        }
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
                boolean fault = r.kind() == UpstreamAnswer.RefusalKind.UNCHARGED_TRANSIENT
                        || r.kind() == UpstreamAnswer.RefusalKind.MAYBE_CHARGED;
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

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
