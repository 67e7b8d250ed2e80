package cloud.phonematch.verify.output;

/** Thrown to direct callers; see {@link ErrorType} for when and whether a retry can help. */
public final class QuotaExhaustedException extends VerificationException {
    public QuotaExhaustedException(Failure failure, String requestId) {
        super(failure, requestId);
    }
}
