package cloud.phonematch.verify.output;

/** Thrown to direct callers; see {@link ErrorType} for when and whether a retry can help. */
public final class UpstreamTimeoutException extends VerificationException {
    public UpstreamTimeoutException(Failure failure, String requestId) {
        super(failure, requestId);
    }
}
