package cloud.phonematch.verify.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.support.OutputSchema;

/** The published schema accepts what the function writes and rejects what it must never write. */
class OutputSchemaTest {

    @Test
    void acceptsAnOutcomeAndAFailureBuiltByTheCode() throws Exception {
        Outcome outcome = new Outcome(VerificationStatus.CONSISTENT, ResultCode.CONSISTENT, "ok", "139****5670",
                "China Mobile", Outcome.AnsweredBy.API, 1, "req-1", "corr-1", "trace-1", 12, null);
        assertTrue(OutputSchema.problems(outcome.toJson()).isEmpty());
        Outcome local = new Outcome(VerificationStatus.INVALID_NAME, ResultCode.INVALID_NAME, "bad", "139****5670",
                null, Outcome.AnsweredBy.PRECHECK, 0, "req-1", "corr-1", null, 1, "send the name as registered");
        assertTrue(OutputSchema.problems(local.toJson()).isEmpty());
        Outcome sandbox = new Outcome(VerificationStatus.CONSISTENT, ResultCode.CONSISTENT, "ok", "139****5670",
                "China Mobile", Outcome.AnsweredBy.SANDBOX, 0, "req-1", "corr-1", null, 1, null);
        assertTrue(OutputSchema.problems(sandbox.toJson()).isEmpty());
        assertFalse(sandbox.checkedUpstream(), "the sandbox calls no API");
        assertFalse(sandbox.billable());

        Failure rateLimited = Failure.upstream(ErrorType.RATE_LIMITED, "slow down", 429, "too_many_requests")
                .withRetryAfter(5).withCalls(new Failure.Calls(1, 0));
        assertTrue(OutputSchema.problems(FailureJson.toJson(rateLimited, "req-2")).isEmpty());
        assertTrue(OutputSchema.problems(Json.MAPPER.readTree(rateLimited.toException("req-2").getMessage()))
                .isEmpty(), "the exception message is the same envelope");
    }

    /**
     * Every failure of a verification says how many calls it sent and how many of them may have been charged; a
     * refusal of the request itself, which no verification followed, says neither.
     */
    @Test
    void failuresCarryTheirCallsUnlessTheRequestItselfWasRefused() {
        Set<ErrorType> requestRefusals = Set.of(ErrorType.INVALID_REQUEST, ErrorType.INVALID_ENCODING,
                ErrorType.NOT_FOUND, ErrorType.METHOD_NOT_ALLOWED);
        for (ErrorType type : ErrorType.values()) {
            Failure failure = Failure.of(type, "m").withRetryAfter(1);
            boolean refusal = requestRefusals.contains(type);
            Failure withCalls = failure.withCalls(new Failure.Calls(3, 0));

            assertEquals(refusal, OutputSchema.problems(FailureJson.toJson(failure, "r")).isEmpty(), type.name());
            assertEquals(!refusal, OutputSchema.problems(FailureJson.toJson(withCalls, "r")).isEmpty(), type.name());
            if (!refusal) {
                assertEquals(3, FailureJson.toJson(withCalls, "r").path("error").path("attempts").asInt());
                assertEquals(0, FailureJson.toJson(withCalls, "r").path("error").path("possibly_charged_attempts")
                        .asInt());
                Failure possiblyCharged = failure.withCalls(new Failure.Calls(3, 1));
                assertFalse(OutputSchema.problems(FailureJson.toJson(possiblyCharged, "r")).isEmpty(),
                        type + ": a possibly charged call is outcome_unknown");
                assertTrue(OutputSchema.problems(FailureJson.toJson(possiblyCharged.maybeCharged(), "r")).isEmpty(),
                        type.name());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // plaintext number in the mobile field
            "{\"status\":\"CONSISTENT\",\"match\":true,\"result_code\":0,\"description\":\"d\",\"hint\":null,"
                    + "\"billable\":true,\"mobile\":\"13912345670\",\"carrier\":null,\"checked_upstream\":true,"
                    + "\"attempts\":1,\"request_id\":\"r\",\"correlation_id\":\"c\",\"upstream_trace_id\":null,"
                    + "\"duration_ms\":1}",
            // CONSISTENT with match false
            "{\"status\":\"CONSISTENT\",\"match\":false,\"result_code\":0,\"description\":\"d\",\"hint\":null,"
                    + "\"billable\":true,\"mobile\":\"139****5670\",\"carrier\":null,\"checked_upstream\":true,"
                    + "\"attempts\":1,\"request_id\":\"r\",\"correlation_id\":\"c\",\"upstream_trace_id\":null,"
                    + "\"duration_ms\":1}",
            // billable without an upstream check
            "{\"status\":\"INVALID_NAME\",\"match\":null,\"result_code\":-4,\"description\":\"d\",\"hint\":\"h\","
                    + "\"billable\":true,\"mobile\":\"139****5670\",\"carrier\":null,\"checked_upstream\":false,"
                    + "\"attempts\":0,\"request_id\":\"r\",\"correlation_id\":\"c\",\"upstream_trace_id\":null,"
                    + "\"duration_ms\":1}",
            // an extra field, e.g. an echoed name
            "{\"status\":\"NO_RECORD\",\"match\":null,\"result_code\":-1,\"description\":\"d\",\"hint\":null,"
                    + "\"billable\":false,\"mobile\":\"139****5670\",\"carrier\":null,\"checked_upstream\":true,"
                    + "\"attempts\":1,\"request_id\":\"r\",\"correlation_id\":\"c\",\"upstream_trace_id\":null,"
                    + "\"duration_ms\":1,"
                    + "\"name\":\"x\"}",
            // no hint field
            "{\"status\":\"NO_RECORD\",\"match\":null,\"result_code\":-1,\"description\":\"d\",\"billable\":false,"
                    + "\"mobile\":\"139****5670\",\"carrier\":null,\"checked_upstream\":true,"
                    + "\"attempts\":1,\"request_id\":\"r\",\"correlation_id\":\"c\",\"upstream_trace_id\":null,"
                    + "\"duration_ms\":1}",
            // a hint on an answer from upstream
            "{\"status\":\"INVALID_NAME\",\"match\":null,\"result_code\":-4,\"description\":\"d\",\"hint\":\"h\","
                    + "\"billable\":false,\"mobile\":\"139****5670\",\"carrier\":null,\"checked_upstream\":true,"
                    + "\"attempts\":1,\"request_id\":\"r\",\"correlation_id\":\"c\",\"upstream_trace_id\":null,"
                    + "\"duration_ms\":1}",
            // a hint on an answer the pre-check never gives
            "{\"status\":\"NO_RECORD\",\"match\":null,\"result_code\":-1,\"description\":\"d\",\"hint\":\"h\","
                    + "\"billable\":false,\"mobile\":\"139****5670\",\"carrier\":null,\"checked_upstream\":false,"
                    + "\"attempts\":0,\"request_id\":\"r\",\"correlation_id\":\"c\",\"upstream_trace_id\":null,"
                    + "\"duration_ms\":1,\"replayed\":false,\"reused\":false,\"possibly_charged_attempts\":0}",
            // an answer that called no API (the sandbox's), with attempts or an upstream trace id
            "{\"status\":\"CONSISTENT\",\"match\":true,\"result_code\":0,\"description\":\"d\",\"hint\":null,"
                    + "\"billable\":false,\"mobile\":\"139****5670\",\"carrier\":null,\"checked_upstream\":false,"
                    + "\"attempts\":1,\"request_id\":\"r\",\"correlation_id\":\"c\",\"upstream_trace_id\":null,"
                    + "\"duration_ms\":1,\"replayed\":false,\"reused\":false,\"possibly_charged_attempts\":0}",
            "{\"status\":\"CONSISTENT\",\"match\":true,\"result_code\":0,\"description\":\"d\",\"hint\":null,"
                    + "\"billable\":false,\"mobile\":\"139****5670\",\"carrier\":null,\"checked_upstream\":false,"
                    + "\"attempts\":0,\"request_id\":\"r\",\"correlation_id\":\"c\",\"upstream_trace_id\":\"t\","
                    + "\"duration_ms\":1,\"replayed\":false,\"reused\":false,\"possibly_charged_attempts\":0}",
            // RATE_LIMITED without retry_after_seconds
            "{\"error\":{\"type\":\"RATE_LIMITED\",\"message\":\"m\",\"retryable\":true},\"request_id\":\"r\"}",
            // unknown error type
            "{\"error\":{\"type\":\"OOPS\",\"message\":\"m\",\"retryable\":true},\"request_id\":\"r\"}" })
    void rejectsShapesTheFunctionMustNeverProduce(String json) throws Exception {
        assertFalse(OutputSchema.problems(Json.MAPPER.readTree(json)).isEmpty());
    }
}
