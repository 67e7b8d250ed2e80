package cloud.phonematch.verify.verification;

import cloud.phonematch.verify.output.Charge;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.output.ResultCode;
import cloud.phonematch.verify.output.VerificationStatus;

/**
 * The charge rule, in one place: for every way a call that leaves the function can end — a call to the paid API, a
 * read or write of the records store, a read of Secrets Manager — whether it may have had its effect (for the API, a
 * charge; for the store, a write made) and whether it may be sent again. {@link Retries} asks it before every repeat;
 * the budget keeps or gives back a reservation by it; the records keep a key as outcome-unknown by it; and what a
 * caller is told ({@code outcome_unknown}, {@code retryable}, the exception class a workflow matches) follows from it
 * through {@link #finalFailure}.
 * <p>
 * Every ending has one of three effects:
 * <ul>
 * <li>{@link Effect#NONE} — cannot have had an effect: nothing was sent (no connection, an open circuit, no time left),
 * or the peer refused before doing the work. The API documents 4xx, 429, 500 and 503 as refusals before its engine
 * ran, and answers the engine errors -2 and -3 without a charge; DynamoDB refuses with a 4xx (a failed condition,
 * throttling) before writing; a read has no effect at all.</li>
 * <li>{@link Effect#UNKNOWN} — may have had it: the request was sent and no reply says what became of it (no answer in
 * time, a connection broken after sending, a 2xx whose body is not the expected shape, a 5xx other than the API's
 * documented 500 and 503 — a gateway's 502 or 504 may follow a request it forwarded, and a store's 5xx may follow a
 * write it made).</li>
 * <li>{@link Effect#MADE} — had it: a charged answer (0 or 1), a write the store confirmed.</li>
 * </ul>
 * A call may be sent again after {@link Effect#NONE}; after {@link Effect#UNKNOWN} only when sending it again cannot
 * add to the effect: a read, or a write that recognizes itself when repeated (a claim by its owner id). A counter's
 * write (the daily budget's add and give-back) is not such a write: it is not sent again, and a counter left one
 * higher than it should be only refuses earlier. The paid call is not such a call either: after an unknown ending it
 * is repeated only when the operator accepted paying twice ({@code VERIFY_REPEAT_POSSIBLY_CHARGED=true}).
 */
public final class ChargeRule {

    /** Whom a call goes to: what an HTTP error status says about the call's effect depends on it. */
    public enum Peer {
        VERIFICATION_API, RECORDS_STORE, SECRETS_MANAGER
    }

    /** What a call does, as far as sending it again goes. */
    public enum Call {
        /** The paid verification: sending again one that may have been charged may pay twice. */
        PAID_VERIFICATION,
        /** A read: changes nothing, so it is always safe to send again. */
        READ,
        /**
         * A conditional write whose repeat adds nothing: it recognizes itself when sent again (a claim by the owner id
         * on its record) or writes the same thing again (a kept answer).
         */
        IDEMPOTENT_WRITE,
        /**
         * A write that adds to or takes from a counter (the daily budget): a repeat after an ending that may have
         * applied it could count twice, so it is sent again only when the try before cannot have been applied.
         */
        COUNTING_WRITE
    }

    /** What one call's ending says about its effect (a charge, a write). */
    public enum Effect {
        NONE, UNKNOWN, MADE;

        /**
         * A failure that ended with this effect, in the output's vocabulary: possibly charged ({@link
         * Charge#MAYBE_CHARGED}, {@code outcome_unknown}) when the effect is unknown, as it is otherwise.
         */
        public Failure mark(Failure failure) {
            return this == UNKNOWN ? failure.maybeCharged() : failure;
        }
    }

    private final boolean repeatPossiblyCharged;

    private ChargeRule(boolean repeatPossiblyCharged) {
        this.repeatPossiblyCharged = repeatPossiblyCharged;
    }

    /** The rule as shipped: a paid call that may have been charged is never sent again. */
    public static ChargeRule standard() {
        return new ChargeRule(false);
    }

    /**
     * @param repeatPossiblyCharged the operator's {@code VERIFY_REPEAT_POSSIBLY_CHARGED}: send again a paid call that may
     *     already have been charged, accepting that it may be paid twice
     */
    public static ChargeRule of(boolean repeatPossiblyCharged) {
        return new ChargeRule(repeatPossiblyCharged);
    }

    /** Whether the operator accepted paying twice rather than leaving an answer unknown. */
    public boolean repeatsPossiblyCharged() {
        return repeatPossiblyCharged;
    }

    /**
     * No reply came back.
     *
     * @param mayHaveArrived false only when no connection was made ({@link ConnectionNeverMade}): then nothing was sent
     */
    public static Effect noReply(boolean mayHaveArrived) {
        return mayHaveArrived ? Effect.UNKNOWN : Effect.NONE;
    }

    /** The peer answered with an HTTP error status (not 2xx). */
    public static Effect errorStatus(Peer peer, int status) {
        return switch (peer) {
            case VERIFICATION_API -> status < 500 || status == 500 || status == 503 ? Effect.NONE : Effect.UNKNOWN;
            case RECORDS_STORE -> status < 500 ? Effect.NONE : Effect.UNKNOWN;
            case SECRETS_MANAGER -> Effect.NONE;
        };
    }

    /** A 2xx whose body is not what the call asked for: it may have been done, and nothing says it was. */
    public static Effect unreadableReply() {
        return Effect.UNKNOWN;
    }

    /** The API answered with a known result code: charged for 0 and 1, not for the others. */
    public static Effect answered(ResultCode code) {
        return code.status().map(VerificationStatus::billable).orElse(false) ? Effect.MADE : Effect.NONE;
    }

    /** Whether a call that ended with {@code effect} may be sent again: the one question every retry asks. */
    public boolean mayRepeat(Call call, Effect effect) {
        return switch (effect) {
            case NONE -> true;
            case MADE -> false;
            case UNKNOWN -> switch (call) {
                case READ, IDEMPOTENT_WRITE -> true;
                case COUNTING_WRITE -> false;
                case PAID_VERIFICATION -> repeatPossiblyCharged;
            };
        };
    }

    /**
     * The failure an invocation ends with. When any of its paid calls may have been charged, so may the invocation,
     * whatever the last call's failure was: {@code outcome_unknown}, an {@code OutcomeUnknownException}, and not
     * retryable — unless the operator accepted paying twice, when it is retryable as its type says (and still an
     * {@code OutcomeUnknownException}, which a workflow retries only where the operator listed it).
     *
     * @param anyCallUnknown whether a paid call of this invocation ended with {@link Effect#UNKNOWN}
     */
    public Failure finalFailure(Failure last, boolean anyCallUnknown) {
        Failure failure = anyCallUnknown && !last.outcomeUnknown() ? last.maybeCharged() : last;
        return failure.outcomeUnknown() && repeatPossiblyCharged ? failure.retryableDespiteCharge() : failure;
    }
}
