package cloud.phonematch.verify.handler;

import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import cloud.phonematch.verify.observability.InvocationSummary;
import cloud.phonematch.verify.verification.Caller;
import cloud.phonematch.verify.verification.FailureException;
import cloud.phonematch.verify.verification.Invocation;
import cloud.phonematch.verify.verification.VerificationFlow;
import cloud.phonematch.verify.verification.VerificationRequest;
import cloud.phonematch.verify.verification.VerificationResult;

/**
 * What every adapter does between reading and writing: read the request, run the flow, write the one
 * summary line. A request that cannot be read becomes a failed result like any other, so it is logged and
 * answered in the same shape.
 */
@ApplicationScoped
class InvocationRunner {
    private final VerificationFlow flow;
    private final InvocationSummary summary;

    InvocationRunner(VerificationFlow flow, InvocationSummary summary) {
        this.flow = flow;
        this.summary = summary;
    }

    /** A finished invocation: its result, and the invocation as it ended (with the request's correlation id). */
    record Ran(VerificationResult result, Invocation invocation) {
    }

    /**
     * @param reader turns the caller's input into a request, or throws {@link FailureException}
     */
    <T> Ran run(EventSource source, Caller caller, Invocation invocation, T input,
            Function<T, VerificationRequest> reader) {
        Invocation effective = invocation;
        VerificationResult result;
        try {
            VerificationRequest request = reader.apply(input);
            effective = invocation.withCorrelationId(request.correlationId());
            result = flow.verify(request, effective);
        } catch (FailureException e) {
            result = VerificationResult.Failed.requestRefused(e.failure(), null);
        }
        summary.log(source.label(), caller, effective, result);
        return new Ran(result, effective);
    }

    /** For a call refused before any request could be read (unknown route, unknown event). */
    Ran refuse(EventSource source, Caller caller, Invocation invocation, FailureException refusal) {
        VerificationResult result = VerificationResult.Failed.requestRefused(refusal.failure(), null);
        summary.log(source.label(), caller, invocation, result);
        return new Ran(result, invocation);
    }
}
