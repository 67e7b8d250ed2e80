package cloud.phonematch.verify.verification;

/** The way to the verification API: the live REST client or the in-process sandbox. */
public interface VerificationGateway {

    /** Makes one call. Never throws for an upstream problem: every failure comes back as a refusal. */
    UpstreamAnswer check(UpstreamCall call);

    /** False for the sandbox, which needs no token and so never touches Secrets Manager. */
    boolean requiresToken();
}
