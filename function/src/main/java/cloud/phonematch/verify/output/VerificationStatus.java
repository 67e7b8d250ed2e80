package cloud.phonematch.verify.output;

/**
 * The business answers a verification can have. {@code match} is null where the API could not say;
 * {@code billable} says whether the API charges for this answer.
 */
public enum VerificationStatus {
    CONSISTENT(Boolean.TRUE, true),
    INCONSISTENT(Boolean.FALSE, true),
    NO_RECORD(null, false),
    INVALID_NAME(null, false),
    INVALID_MOBILE(null, false),
    DAILY_LIMIT_EXCEEDED(null, false);

    private final Boolean match;
    private final boolean billable;

    VerificationStatus(Boolean match, boolean billable) {
        this.match = match;
        this.billable = billable;
    }

    public Boolean match() {
        return match;
    }

    public boolean billable() {
        return billable;
    }
}
