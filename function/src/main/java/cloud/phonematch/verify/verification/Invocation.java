package cloud.phonematch.verify.verification;

/**
 * Facts about the current Lambda invocation that the flow needs: ids for the output and the clock budget.
 * Time is a parameter here (not read from a static) so deadline logic is testable without sleeping.
 *
 * @param requestId the Lambda request id
 * @param correlationId the id that follows this verification across systems
 * @param startNanos {@link TimeSource#nanoTime()} when the invocation started
 * @param deadline when the invocation must have answered
 */
public record Invocation(String requestId, String correlationId, long startNanos, Deadline deadline) {

    public Invocation withCorrelationId(String id) {
        return new Invocation(requestId, id, startNanos, deadline);
    }
}
