package cloud.phonematch.verify.verification;

import cloud.phonematch.verify.output.Failure;

/**
 * How an adapter (the token source) reports a failure that is already in our vocabulary. Carries no cause
 * and no stack trace: its message is the failure's own, written by us.
 */
public final class FailureException extends RuntimeException {
    private final Failure failure;

    public FailureException(Failure failure) {
        super(failure.type() + ": " + failure.message(), null, false, false);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
