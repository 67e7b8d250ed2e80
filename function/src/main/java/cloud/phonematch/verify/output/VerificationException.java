package cloud.phonematch.verify.output;

/**
 * Base of the exceptions a direct caller receives. Lambda reports the fully qualified class name of the
 * concrete subclass as {@code errorType}, which is what Step Functions' {@code ErrorEquals} matches; the
 * message is the normalized error JSON so a {@code Catch} can parse it from {@code $.Cause}.
 * <p>
 * The message is rendered by {@link FailureJson} from a {@link Failure}, whose text this function wrote
 * itself, so it never holds personal data or the token.
 */
public abstract class VerificationException extends RuntimeException {
    private final Failure failure;

    protected VerificationException(Failure failure, String requestId) {
        // No cause: nothing from a library (which might quote a request body) rides along. No stack trace:
        // the type says where it came from, and Lambda logs every thrown exception.
        super(FailureJson.render(failure, requestId), null, false, false);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
