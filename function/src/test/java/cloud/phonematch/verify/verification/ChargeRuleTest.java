package cloud.phonematch.verify.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.output.FailureJson;
import cloud.phonematch.verify.output.OutcomeUnknownException;
import cloud.phonematch.verify.output.ResultCode;
import cloud.phonematch.verify.output.UpstreamUnavailableException;
import cloud.phonematch.verify.verification.ChargeRule.Call;
import cloud.phonematch.verify.verification.ChargeRule.Effect;
import cloud.phonematch.verify.verification.ChargeRule.Peer;

/** The charge rule as a table: every ending's effect, every repeat's answer, what the caller is told. */
class ChargeRuleTest {
    private static final ChargeRule STANDARD = ChargeRule.standard();
    private static final ChargeRule REPEATING = ChargeRule.of(true);

    @ParameterizedTest(name = "{0} answering {1}: {2}")
    @CsvSource({
            // The API documents these as refusals before its engine ran.
            "VERIFICATION_API, 400, NONE", "VERIFICATION_API, 401, NONE", "VERIFICATION_API, 403, NONE",
            "VERIFICATION_API, 429, NONE", "VERIFICATION_API, 500, NONE", "VERIFICATION_API, 503, NONE",
            // A gateway's 502/504, and any 5xx the API does not document, may follow a request that reached the engine.
            "VERIFICATION_API, 502, UNKNOWN", "VERIFICATION_API, 504, UNKNOWN", "VERIFICATION_API, 501, UNKNOWN",
            "VERIFICATION_API, 599, UNKNOWN",
            // DynamoDB refuses with a 4xx before writing; a 5xx may follow a write it made.
            "RECORDS_STORE, 400, NONE", "RECORDS_STORE, 413, NONE", "RECORDS_STORE, 500, UNKNOWN",
            "RECORDS_STORE, 503, UNKNOWN",
            // A read changes nothing.
            "SECRETS_MANAGER, 400, NONE", "SECRETS_MANAGER, 500, NONE", "SECRETS_MANAGER, 503, NONE" })
    void anErrorStatusSaysWhetherTheCallMayHaveHadItsEffect(Peer peer, int status, Effect effect) {
        assertEquals(effect, ChargeRule.errorStatus(peer, status));
    }

    @Test
    void noReplyIsUnknownUnlessNoConnectionWasMadeAndAnUnreadableReplyIsUnknown() {
        assertEquals(Effect.NONE, ChargeRule.noReply(false));
        assertEquals(Effect.UNKNOWN, ChargeRule.noReply(true));
        assertEquals(Effect.UNKNOWN, ChargeRule.unreadableReply());
    }

    @ParameterizedTest
    @EnumSource(ResultCode.class)
    void anAnswerIsChargedForZeroAndOneOnly(ResultCode code) {
        boolean charged = code == ResultCode.CONSISTENT || code == ResultCode.INCONSISTENT;
        assertEquals(charged ? Effect.MADE : Effect.NONE, ChargeRule.answered(code), code.name());
    }

    @ParameterizedTest(name = "{0} after {1}: {2}, or {3} when the operator accepted paying twice")
    @CsvSource({
            "PAID_VERIFICATION, NONE, true, true", "PAID_VERIFICATION, UNKNOWN, false, true",
            "PAID_VERIFICATION, MADE, false, false",
            "READ, NONE, true, true", "READ, UNKNOWN, true, true",
            "IDEMPOTENT_WRITE, NONE, true, true", "IDEMPOTENT_WRITE, UNKNOWN, true, true",
            "IDEMPOTENT_WRITE, MADE, false, false",
            // A counter's write cannot tell its own earlier try: never repeated after one that may have counted.
            "COUNTING_WRITE, NONE, true, true", "COUNTING_WRITE, UNKNOWN, false, false",
            "COUNTING_WRITE, MADE, false, false" })
    void whetherACallMayBeSentAgain(Call call, Effect effect, boolean standard, boolean repeating) {
        assertEquals(standard, STANDARD.mayRepeat(call, effect));
        assertEquals(repeating, REPEATING.mayRepeat(call, effect));
    }

    @Test
    void anUnknownEffectMarksAFailurePossiblyChargedAndTheOthersLeaveItAsItIs() {
        Failure f = Failure.of(ErrorType.UPSTREAM_UNAVAILABLE, "m");
        assertTrue(Effect.UNKNOWN.mark(f).outcomeUnknown());
        assertEquals(f, Effect.NONE.mark(f));
    }

    @Test
    void aPossiblyChargedFailureIsNotRetryableAndIsOutcomeUnknown() {
        Failure f = STANDARD.finalFailure(Failure.of(ErrorType.UPSTREAM_TIMEOUT, "m").maybeCharged(), false);

        assertTrue(f.outcomeUnknown());
        assertFalse(f.retryable(), "UPSTREAM_TIMEOUT is retryable by type, but this one may have been paid for");
        assertEquals(OutcomeUnknownException.class, f.toException("r").getClass());
        assertTrue(FailureJson.toJson(f, "r").path("error").path("outcome_unknown").asBoolean());
        assertFalse(FailureJson.toJson(f, "r").path("error").path("retryable").asBoolean());
    }

    @Test
    void anUnchargedLastFailureAfterAPossiblyChargedCallIsOutcomeUnknownToo() {
        Failure last = Failure.of(ErrorType.UPSTREAM_UNAVAILABLE, "m");

        Failure f = REPEATING.finalFailure(last, true);

        assertTrue(f.outcomeUnknown(), "an earlier call of the invocation may have been paid for");
        assertEquals(OutcomeUnknownException.class, f.toException("r").getClass());
        assertEquals(502, f.httpStatus(), "503 would tell an HTTP client nothing was handled");
        assertFalse(STANDARD.finalFailure(last, false).outcomeUnknown());
        assertEquals(UpstreamUnavailableException.class, STANDARD.finalFailure(last, false).toException("r").getClass());
    }

    @Test
    void aBudgetRefusalAfterAPossiblyChargedCallSaysSo() {
        Failure over = Failure.of(ErrorType.BUDGET_EXHAUSTED, "spent").withRetryAfter(3_600);

        Failure f = REPEATING.finalFailure(over, true);

        assertTrue(f.outcomeUnknown(), "the budget ran out after a call that may have been charged");
        assertEquals(OutcomeUnknownException.class, f.toException("r").getClass());
        assertEquals(3_600, f.retryAfterSeconds().getAsLong());
    }

    @Test
    void theOperatorsOptInMakesAPossiblyChargedFailureRetryableButKeepsItsClass() {
        Failure f = REPEATING.finalFailure(Failure.of(ErrorType.UPSTREAM_TIMEOUT, "m").maybeCharged(), false);

        assertTrue(f.retryable());
        assertTrue(f.outcomeUnknown());
        assertEquals(OutcomeUnknownException.class, f.toException("r").getClass(),
                "a workflow retries it only where the operator listed OutcomeUnknownException");
    }

    @Test
    void unchargedFailuresKeepTheirTypesRetryabilityAndClass() {
        for (ErrorType type : ErrorType.values()) {
            Failure f = STANDARD.finalFailure(Failure.of(type, "m"), false);
            assertEquals(type.retryable(), f.retryable(), type.name());
            assertFalse(f.outcomeUnknown(), type.name());
            assertEquals(type.toException(f, "r").getClass(), f.toException("r").getClass(), type.name());
        }
    }
}
