package cloud.phonematch.verify.verification;

import cloud.phonematch.verify.output.Failure;

/**
 * Memory across invocations, so that a repeated request is never paid twice: claimed before anything can be
 * charged, settled once the verification has ended. The adapter ({@code records}) keeps only HMACs and masked
 * outcomes.
 */
public interface VerificationRecords {

    /**
     * Takes the request's idempotency key, or says why this invocation must not go on: the key already has an
     * answer (replayed), is in use by a running invocation, was first used with another name and number, or ended
     * after a call that may have been charged. Bounded by {@code deadline}; a store that cannot answer in time is a
     * refusal ({@code RECORDS_UNAVAILABLE}), never a reason to go on without it.
     */
    Claim claim(KeyedRequest request, Deadline deadline);

    /**
     * Records how a granted claim ended: an answer's verdict is kept for replay, a failure that cannot have been
     * charged releases the key, a possibly charged one keeps it as outcome-unknown. Never throws: when the write fails,
     * the claim's lock runs out and the key then counts as outcome-unknown, which can only refuse, never pay.
     */
    void settle(Claim.Granted claim, VerificationResult result, Deadline deadline);

    /**
     * A request that carries an idempotency key, with the name and number normalized as the API would receive them
     * (so that typing differences are the same request). Shows none of them in {@link #toString()}.
     *
     * @param callerScope the authenticated caller the event names, which scopes the key; null when it names none
     * @param fresh whether the request asked for a new paid check rather than a kept answer
     */
    record KeyedRequest(String idempotencyKey, String callerScope, String name, String mobile, boolean fresh) {
        @Override
        public String toString() {
            return "KeyedRequest[<redacted>]";
        }
    }

    /** What a claim came to. */
    sealed interface Claim {
        /**
         * The key is this invocation's until it settles.
         *
         * @param owner the claim's random id, written on its record: the settle writes and deletes only the record
         *     this claim wrote
         */
        record Granted(String key, String fingerprint, long version, String owner) implements Claim {
        }

        /**
         * The key already has an answer: give it again, marked replayed, in this request's language; nothing is read,
         * sent or charged.
         */
        record Replayed(Verdict verdict) implements Claim {
        }

        /** This invocation must not go on; the failure says why and whether to try again. */
        record Refused(Failure failure) implements Claim {
        }
    }
}
