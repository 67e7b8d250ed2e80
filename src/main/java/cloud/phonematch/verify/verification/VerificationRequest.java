package cloud.phonematch.verify.verification;

import cloud.phonematch.verify.output.Language;

/**
 * What a caller asked, as the adapter read it. Holds the plaintext name and number, so {@link #toString()}
 * shows neither: this object may end up in a debugger or a log by accident, never its contents.
 *
 * @param idempotencyKey the caller's key for "this same request", or null when it gave none
 * @param fresh true when the caller wants a new paid check even if an answer for this person is kept
 * @param callerScope the authenticated caller the event names (an IAM principal, a token's issuer and subject), which
 *     scopes the idempotency key; null when the event names none (a direct invocation, an API without authorization)
 */
public record VerificationRequest(String name, String mobile, Language language, String correlationId,
        String idempotencyKey, boolean fresh, String callerScope) {

    /** A request without an idempotency key. */
    public VerificationRequest(String name, String mobile, Language language, String correlationId) {
        this(name, mobile, language, correlationId, null, false, null);
    }

    /** A request that takes a kept answer when there is one, from a caller the event does not name. */
    public VerificationRequest(String name, String mobile, Language language, String correlationId,
            String idempotencyKey) {
        this(name, mobile, language, correlationId, idempotencyKey, false, null);
    }

    @Override
    public String toString() {
        return "VerificationRequest[name=<redacted>, mobile=<redacted>, language=" + language
                + ", correlationId=" + correlationId + ", idempotencyKey=" + (idempotencyKey == null ? "none"
                        : "<redacted>") + ", fresh=" + fresh + ", caller=" + (callerScope == null ? "none" : "scoped")
                + "]";
    }
}
