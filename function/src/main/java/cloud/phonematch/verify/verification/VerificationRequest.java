package cloud.phonematch.verify.verification;

import cloud.phonematch.verify.output.Language;

/**
 * What a caller asked, as the adapter read it. Holds the plaintext name and number, so {@link #toString()}
 * shows neither: this object may end up in a debugger or a log by accident, never its contents.
 *
 * @param idempotencyKey the caller's key for "this same request", or null when it gave none
 * @param fresh true when the caller wants a new paid check even if an answer for this person is kept
 * @param caller who sent it: what its spend is counted against and, when authenticated, the scope of its
 *     idempotency key
 */
public record VerificationRequest(String name, String mobile, Language language, String correlationId,
        String idempotencyKey, boolean fresh, Caller caller) {

    public VerificationRequest {
        if (caller == null) {
            throw new IllegalArgumentException("a request has a caller");
        }
    }

    /** A request without an idempotency key. */
    public VerificationRequest(String name, String mobile, Language language, String correlationId) {
        this(name, mobile, language, correlationId, null, false, Caller.DIRECT);
    }

    /** A request that takes a kept answer when there is one, from a caller the event does not name. */
    public VerificationRequest(String name, String mobile, Language language, String correlationId,
            String idempotencyKey) {
        this(name, mobile, language, correlationId, idempotencyKey, false, Caller.DIRECT);
    }

    /** The scope of the idempotency key: the authenticated caller's id, or null ({@link Caller#scope()}). */
    public String callerScope() {
        return caller.scope();
    }

    @Override
    public String toString() {
        return "VerificationRequest[name=<redacted>, mobile=<redacted>, language=" + language
                + ", correlationId=" + correlationId + ", idempotencyKey=" + (idempotencyKey == null ? "none"
                        : "<redacted>") + ", fresh=" + fresh + ", caller=" + caller.kind()
                + "]";
    }
}
