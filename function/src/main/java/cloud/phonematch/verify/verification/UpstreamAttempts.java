package cloud.phonematch.verify.verification;

import java.time.Duration;
import java.util.Optional;

import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;

/**
 * Calls the API until there is an answer worth returning, through {@link Retries} and so by the {@link ChargeRule}:
 * the token first, then each attempt with a budget reservation of its own taken before it is sent and given back
 * when it cannot have been charged, the one token-rotation retry (not counted as an attempt), and every attempt and
 * every read of the token bounded by the invocation's {@link Deadline}. {@code calls} always counts the calls that
 * went out to the API, whatever ended the invocation (none with the sandbox); {@code possiblyCharged} those whose
 * charge is unknown.
 */
final class UpstreamAttempts {
    private final VerificationGateway gateway;
    private final TokenSource tokens;
    private final SpendGuard spend;
    private final Retries retries;
    private final Retries.Schedule schedule;
    private final TimeSource time;
    private final Tracing tracing;

    UpstreamAttempts(VerificationGateway gateway, TokenSource tokens, SpendGuard spend, Retries retries,
            Retries.Schedule schedule, TimeSource time, Tracing tracing) {
        this.gateway = gateway;
        this.tokens = tokens;
        this.spend = spend;
        this.retries = retries;
        this.schedule = schedule;
        this.time = time;
        this.tracing = tracing;
    }

    /**
     * The last answer, how many calls it took, how many of them may have been charged without an answer that says
     * so, and the time spent inside them.
     */
    record Result(UpstreamAnswer answer, int calls, int possiblyCharged, long upstreamNanos) {
    }

    /** One invocation's calls: the request as signed now, and what has been spent so far. */
    private final class Run {
        UpstreamCall call;
        final Caller caller;
        final Deadline deadline;
        int calls;
        int possiblyCharged;
        boolean tokenRefreshed;
        long upstreamNanos;

        Run(Caller caller, Deadline deadline) {
            this.caller = caller;
            this.deadline = deadline;
        }

        Result failed(Failure failure, UpstreamAnswer.RefusalKind kind, String traceId) {
            return new Result(new UpstreamAnswer.Refused(retries.rule().finalFailure(failure, possiblyCharged > 0),
                    kind, traceId), calls, possiblyCharged, upstreamNanos);
        }

        /**
         * One attempt: a reservation, the call, the reservation given back when the call cannot have been charged.
         * The call's own time is measured after the reservation, which also took some of it.
         */
        Retries.Ending<UpstreamAnswer.Answered, UpstreamAnswer.Refused> attempt() {
            SpendGuard.Reservation reservation = gateway.charges() ? spend.reserve(caller, deadline.leavingOneAttempt())
                    : new SpendGuard.Reservation.Unlimited();
            if (reservation instanceof SpendGuard.Reservation.Refused refused) {
                // Nothing sent.
                return Retries.Failed.of(new UpstreamAnswer.Refused(refused.failure(),
                        UpstreamAnswer.RefusalKind.FINAL, null), ChargeRule.Effect.NONE, Retries.Again.NO);
            }
            Tracing.Span span = tracing.begin("verification-api").annotate("attempt", calls + 1);
            long callStart = time.nanoTime();
            UpstreamAnswer answer = gateway.check(call, deadline.remainingAtMost(schedule.tryTimeout()));
            upstreamNanos += time.nanoTime() - callStart;
            endSpan(span, answer);
            ChargeRule.Effect effect = effectOf(answer);
            if (reservation instanceof SpendGuard.Reservation.Reserved reserved && effect == ChargeRule.Effect.NONE) {
                spend.release(reserved, deadline.afterAnswer());
            }
            if (gateway.callsTheApi() && !refusedByOpenCircuit(answer)) {
                // An open circuit refuses before anything is sent, and the sandbox sends nothing: not calls.
                calls++;
            }
            if (effect == ChargeRule.Effect.UNKNOWN) {
                possiblyCharged++;
            }
            return switch (answer) {
                case UpstreamAnswer.Answered answered -> new Retries.Done<>(answered);
                case UpstreamAnswer.Refused refused -> failed(refused, effect);
            };
        }

        private Retries.Ending<UpstreamAnswer.Answered, UpstreamAnswer.Refused> failed(UpstreamAnswer.Refused refused,
                ChargeRule.Effect effect) {
            return switch (refused.kind()) {
                case TOKEN_REJECTED -> afterTokenRejected(refused);
                case TRANSIENT -> new Retries.Failed<>(refused, effect, Retries.Again.AFTER_A_WAIT,
                        refused.failure().type() == ErrorType.RATE_LIMITED
                                ? refused.failure().retryAfterSeconds().stream().mapToObj(Duration::ofSeconds)
                                        .findFirst()
                                : Optional.empty());
                case CIRCUIT_OPEN, FINAL -> Retries.Failed.of(refused, effect, Retries.Again.NO);
            };
        }

        /** Not charged: a rejected token never reaches the engine. One re-read of the secret, then once more. */
        private Retries.Ending<UpstreamAnswer.Answered, UpstreamAnswer.Refused> afterTokenRejected(
                UpstreamAnswer.Refused refused) {
            if (tokenRefreshed) {
                return Retries.Failed.of(refused, ChargeRule.Effect.NONE, Retries.Again.NO);
            }
            tokenRefreshed = true;
            Optional<ApiToken> rotated;
            try {
                rotated = tokens.refreshAfterRejection(call.token(), deadline);
            } catch (FailureException e) {
                // The re-read failed: report that, with the call that was made.
                return Retries.Failed.of(new UpstreamAnswer.Refused(e.failure(), UpstreamAnswer.RefusalKind.FINAL,
                        refused.traceId()), ChargeRule.Effect.NONE, Retries.Again.NO);
            }
            if (rotated.isEmpty()) {
                return Retries.Failed.of(refused, ChargeRule.Effect.NONE, Retries.Again.NO);
            }
            call = call.withToken(rotated.get());
            return Retries.Failed.of(refused, ChargeRule.Effect.NONE, Retries.Again.AT_ONCE_UNCOUNTED);
        }
    }

    /**
     * @param unsigned the request without its token; the token is read here, once an attempt is known to fit
     * @param caller whose spend each attempt's reservation counts against
     */
    Result run(UpstreamCall unsigned, Caller caller, Deadline deadline) {
        Run run = new Run(caller, deadline);
        if (deadline.passed()) {
            return run.failed(noTimeLeft(), UpstreamAnswer.RefusalKind.FINAL, null);
        }
        try {
            run.call = withToken(unsigned, deadline);
        } catch (FailureException e) {
            // The token could not be had (SECRETS_UNAVAILABLE or CONFIGURATION): no call was made.
            return run.failed(e.failure(), UpstreamAnswer.RefusalKind.FINAL, null);
        }
        Retries.Result<UpstreamAnswer.Answered, UpstreamAnswer.Refused> tried = retries.run(
                ChargeRule.Call.PAID_VERIFICATION, schedule, deadline, timeout -> run.attempt());
        if (tried.value().isPresent()) {
            return new Result(tried.value().get(), run.calls, run.possiblyCharged, run.upstreamNanos);
        }
        return tried.lastFailure().map(Retries.Failed::failure)
                .map(last -> run.failed(last.failure(), last.kind(), last.traceId()))
                // Lambda would kill the invocation before an attempt could hold an answer: answer now.
                .orElseGet(() -> run.failed(noTimeLeft(), UpstreamAnswer.RefusalKind.FINAL, null));
    }

    /** How one call ended, by the charge rule: its answer's charge, or its failure's. */
    private static ChargeRule.Effect effectOf(UpstreamAnswer answer) {
        return switch (answer) {
            case UpstreamAnswer.Answered answered -> ChargeRule.answered(answered.code());
            case UpstreamAnswer.Refused refused -> refused.failure().outcomeUnknown() ? ChargeRule.Effect.UNKNOWN
                    : ChargeRule.Effect.NONE;
        };
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
}
