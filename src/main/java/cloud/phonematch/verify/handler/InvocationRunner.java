package cloud.phonematch.verify.handler;

import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import cloud.phonematch.verify.observability.InvocationSummary;
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

    /**
     * @param reader turns the caller's input into a request, or throws {@link FailureException}
     */
    <T> VerificationResult run(EventSource source, Invocation invocation, T input,
            Function<T, VerificationRequest> reader) {
        VerificationResult result;
        try {
            result = flow.verify(reader.apply(input), invocation);
        } catch (FailureException e) {
            result = new VerificationResult.Failed(e.failure(), 0, null, null);
        }
        summary.log(source, invocation, result);
        return result;
    }

    /** For a call refused before any request could be read (unknown route, unknown event). */
    VerificationResult refuse(EventSource source, Invocation invocation, FailureException refusal) {
        VerificationResult result = new VerificationResult.Failed(refusal.failure(), 0, null, null);
        summary.log(source, invocation, result);
        return result;
    }
}
