package cloud.phonematch.verify.output;

/**
 * Thrown to direct callers for every failure after which the API may have charged ({@link Charge#MAYBE_CHARGED}),
 * whatever its type: the request went out and no readable answer came back. A workflow must not simply retry it
 * (that may pay twice); it should record the row for reconciliation. The message's {@code error.type} still says
 * what happened (UPSTREAM_TIMEOUT, UPSTREAM_UNAVAILABLE, UPSTREAM_CONTRACT) and carries
 * {@code "outcome_unknown": true}.
 */
public final class OutcomeUnknownException extends VerificationException {
    public OutcomeUnknownException(Failure failure, String requestId) {
        super(failure, requestId);
    }
}
