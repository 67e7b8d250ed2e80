package cloud.phonematch.verify.verification;

import cloud.phonematch.verify.output.Language;

/**
 * What a caller asked, as the adapter read it. Holds the plaintext name and number, so {@link #toString()}
 * shows neither: this object may end up in a debugger or a log by accident, never its contents.
 *
 * @param idempotencyKey the caller's key for "this same request", or null when it gave none
 * @param fresh true when the caller wants a new paid check even if an answer for this person is kept
 */
public record VerificationRequest(String name, String mobile, Language language, String correlationId,
        String idempotencyKey, boolean fresh) {

    /** A request without an idempotency key. */
    public VerificationRequest(String name, String mobile, Language language, String correlationId) {
        this(name, mobile, language, correlationId, null, false);
    }

    /** A request that takes a kept answer when there is one. */
    public VerificationRequest(String name, String mobile, Language language, String correlationId,
            String idempotencyKey) {
        this(name, mobile, language, correlationId, idempotencyKey, false);
    }

    @Override
    public String toString() {
        return "VerificationRequest[name=<redacted>, mobile=<redacted>, language=" + language
                + ", correlationId=" + correlationId + ", idempotencyKey=" + (idempotencyKey == null ? "none"
                        : "<redacted>") + "]";
    }
}
