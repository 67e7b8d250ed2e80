package cloud.phonematch.verify.verification;

import java.time.Duration;

/** The way to the verification API: the live REST client or the in-process sandbox. */
public interface VerificationGateway {

    /**
     * Makes one call, giving up after {@code timeout}. Never throws for an upstream problem: every failure
     * comes back as a refusal.
     */
    UpstreamAnswer check(UpstreamCall call, Duration timeout);

    /** False for the sandbox, which needs no token and so never touches Secrets Manager. */
    boolean requiresToken();

    /** Whether its answers cost money (false for the sandbox, so its answers are never billable). */
    default boolean charges() {
        return true;
    }

    /**
     * Whether it calls the API (false for the in-process sandbox): only such calls are counted as {@code attempts},
     * and only their answers say {@code checked_upstream}.
     */
    default boolean callsTheApi() {
        return true;
    }
}
