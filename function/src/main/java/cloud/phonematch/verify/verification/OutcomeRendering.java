package cloud.phonematch.verify.verification;

import java.util.Optional;
import java.util.function.Supplier;

import cloud.phonematch.verify.output.Language;
import cloud.phonematch.verify.output.Outcome;
import cloud.phonematch.verify.output.VerificationStatus;
import cloud.phonematch.verify.precheck.MainlandMobile;

/**
 * Words a {@link Verdict} for the request it answers: the description, the hint and the carrier's name in that
 * request's language, with the invocation's ids and duration and how the answer was reached. A verdict given again
 * (a replay, a reuse) is worded for the request it is given to, not for the one that first got it.
 */
final class OutcomeRendering {
    private OutcomeRendering() {
    }

    /** How the answer was reached. */
    enum Given {
        /** By this invocation. */
        NOW,
        /** Again, to a repeat of its idempotency key. */
        REPLAYED,
        /** Again, to another request for the same person within the reuse window. */
        REUSED
    }

    /**
     * @param number the request's number as libphonenumber reads it, asked for only when a carrier is named
     * @param attempts calls made by this invocation
     * @param possiblyCharged calls of this invocation that may have been charged without an answer
     */
    static Outcome render(Verdict verdict, Language language, Supplier<Optional<MainlandMobile>> number,
            Invocation invocation, long durationMs, int attempts, int possiblyCharged, Given given) {
        return new Outcome(verdict.status(), verdict.code(), verdict.code().description(language),
                verdict.maskedMobile(), carrier(verdict, language, number), verdict.answeredBy(), attempts,
                invocation.requestId(), invocation.correlationId(), verdict.upstreamTraceId(), durationMs,
                verdict.rejection() == null ? null : verdict.rejection().hint(language.locale()),
                given == Given.REPLAYED, given == Given.REUSED, possiblyCharged);
    }

    /**
     * The carrier is only named for a number the API (or the sandbox) accepted as a mobile number that libphonenumber
     * also considers a valid mainland mobile; never for a local refusal.
     */
    private static String carrier(Verdict verdict, Language language, Supplier<Optional<MainlandMobile>> number) {
        if (verdict.answeredBy() == Outcome.AnsweredBy.PRECHECK
                || verdict.status() == VerificationStatus.INVALID_MOBILE) {
            return null;
        }
        return number.get().flatMap(mobile -> mobile.carrier(language.locale())).orElse(null);
    }
}
