package cloud.phonematch.verify.output;

/** Thrown to direct callers; see {@link ErrorType} for when and whether a retry can help. */
public final class InvalidRequestException extends VerificationException {
    public InvalidRequestException(Failure failure, String requestId) {
        super(failure, requestId);
    }
}
