package cloud.phonematch.verify.upstream;

import static cloud.phonematch.verify.support.TestPeople.MOBILE;
import static cloud.phonematch.verify.support.TestPeople.NAME;
import static cloud.phonematch.verify.support.TestPeople.TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import cloud.phonematch.verify.output.Charge;
import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.ResultCode;
import cloud.phonematch.verify.verification.ApiToken;
import cloud.phonematch.verify.verification.UpstreamAnswer;
import cloud.phonematch.verify.verification.UpstreamAnswer.RefusalKind;

/** Reading the API's replies alone, without HTTP: codes, errors, refusal kinds and Retry-After arithmetic. */
class ApiReplyReaderTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private final ApiReplyReader reader = new ApiReplyReader(Clock.fixed(NOW, ZoneOffset.UTC));
    /** The request every reply here answers. */
    private static final UpstreamText TEXT = UpstreamText.forRequest(new ApiToken(TOKEN), NAME, MOBILE);

    @Test
    void numericResultCodesAreAcceptedToo() {
        UpstreamAnswer a = reader.read(200, "{\"result\": -1, \"trace_id\": \"t\"}", null, TEXT);
        assertEquals(new UpstreamAnswer.Answered(ResultCode.NO_RECORD, "t"), a);
    }

    @Test
    void refusalKindsFollowTheMoneyRule() {
        assertEquals(RefusalKind.TOKEN_REJECTED, kind(401, "invalid_token"));
        assertEquals(RefusalKind.TOKEN_REJECTED, kind(400, "token_mismatched"));
        assertEquals(RefusalKind.TRANSIENT, kind(429, "too_many_requests"));
        assertEquals(RefusalKind.TRANSIENT, kind(500, "api_error"));
        assertEquals(RefusalKind.TRANSIENT, kind(503, null));
        assertEquals(RefusalKind.FINAL, kind(400, "bad_request"));
        assertEquals(RefusalKind.FINAL, kind(403, "used_up"));
        assertEquals(RefusalKind.FINAL, kind(404, null));
    }

    @ParameterizedTest
    @CsvSource({
            "400, bad_request, NOT_CHARGED", "401, invalid_token, NOT_CHARGED", "403, used_up, NOT_CHARGED",
            "429, too_many_requests, NOT_CHARGED", "500, api_error, NOT_CHARGED", "503, , NOT_CHARGED",
            // A gateway forwarded the request and got no usable answer or stopped waiting: the engine may have run.
            "502, , MAYBE_CHARGED", "504, , MAYBE_CHARGED", "504, api_error, MAYBE_CHARGED",
            // Not a status the API documents: taken as possibly charged rather than risk a second charge.
            "520, , MAYBE_CHARGED", "599, , MAYBE_CHARGED" })
    void httpErrorsArePossiblyChargedOnlyWhenTheEngineMayHaveRun(int status, String code, Charge expected) {
        var refused = refusal(status, code);
        assertEquals(expected, refused.failure().charge(), status + " " + code);
        assertEquals(expected == Charge.NOT_CHARGED ? refused.failure().type().retryable() : false,
                refused.failure().retryable());
    }

    @Test
    void gatewayErrorsKeepTheirStatusThroughApiGateway() {
        assertEquals(504, refusal(504, null).failure().httpStatus());
        assertEquals(ErrorType.UPSTREAM_TIMEOUT, refusal(504, null).failure().type());
        assertEquals(502, refusal(502, null).failure().httpStatus());
        assertEquals(503, refusal(503, null).failure().httpStatus(), "the API's own 503 handled nothing");
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"result\": \"7\"}", "{\"trace_id\": \"t\"}", "<html>ok</html>",
            "{\"error\": {\"code\": \"x\"}}", "{\"result\": \"1\", \"result\": \"0\"}" })
    void aTwoHundredThatCannotBeReadMayHaveBeenCharged(String body) {
        var refused = assertInstanceOf(UpstreamAnswer.Refused.class, reader.read(200, body, null, TEXT));
        assertEquals(ErrorType.UPSTREAM_CONTRACT, refused.failure().type());
        assertTrue(refused.failure().outcomeUnknown());
        assertEquals(RefusalKind.FINAL, refused.kind());
    }

    @Test
    void retryAfterInSecondsOrAsAnHttpDate() {
        assertEquals(Optional.of(120L), reader.retryAfterSeconds("120"));
        assertEquals(Optional.of(90L), reader.retryAfterSeconds("Wed, 25 Nov 2026 10:01:30 GMT"));
        assertEquals(Optional.of(0L), reader.retryAfterSeconds("Wed, 25 Nov 2026 09:00:00 GMT"));
        assertEquals(Optional.of(0L), reader.retryAfterSeconds("-5"));
        assertEquals(Optional.empty(), reader.retryAfterSeconds("soon"));
        assertEquals(Optional.empty(), reader.retryAfterSeconds(null));
    }

    @Test
    void rateLimitWithoutRetryAfterGetsTheDefault() {
        var refused = assertInstanceOf(UpstreamAnswer.Refused.class, reader.read(429, "", null, TEXT));
        assertEquals(ErrorType.RATE_LIMITED, refused.failure().type());
        assertEquals(ApiReplyReader.DEFAULT_RETRY_AFTER_SECONDS,
                refused.failure().retryAfterSeconds().getAsLong());
    }

    @Test
    void anUnknownCodeIsPassedOnUpToSixtyFourCharactersAndDroppedBeyond() {
        var at64 = assertInstanceOf(UpstreamAnswer.Refused.class,
                reader.read(200, "{\"result\":\"" + "9".repeat(64) + "\"}", null, TEXT));
        assertEquals("9".repeat(64), at64.failure().upstreamCode());
        var at65 = assertInstanceOf(UpstreamAnswer.Refused.class,
                reader.read(200, "{\"result\":\"" + "9".repeat(65) + "\"}", null, TEXT));
        assertNull(at65.failure().upstreamCode());
        assertEquals(ErrorType.UPSTREAM_CONTRACT, at65.failure().type(), "the reply is judged the same without it");
    }

    @Test
    void anErrorCodeOrTraceIdThatEchoesTheRequestIsDroppedButStillChoosesTheRow() {
        // token_mismatched as the row's code, the request's number as the trace id: the row still says the token was
        // rejected (so a rotated secret is tried), and neither value is passed on where it carries the request.
        var refused = refusal(400, "token_mismatched", "\"trace_id\":\"t-" + MOBILE + "\"");
        assertEquals(RefusalKind.TOKEN_REJECTED, refused.kind());
        assertEquals("token_mismatched", refused.failure().upstreamCode());
        assertNull(refused.traceId());

        var echoed = refusal(403, "denied-" + TOKEN, "\"trace_id\":\"ok-1\"");
        assertNull(echoed.failure().upstreamCode());
        assertEquals("ok-1", echoed.traceId());
        assertEquals(ErrorType.UPSTREAM_AUTH, echoed.failure().type());
    }

    @Test
    void aTraceIdOfAHundredKilobytesIsDropped() {
        var answered = reader.read(200, "{\"result\":\"0\",\"trace_id\":\"" + "a".repeat(100_000) + "\"}", null,
                TEXT);
        assertEquals(new UpstreamAnswer.Answered(ResultCode.CONSISTENT, null), answered);
    }

    @Test
    void nonTextCodesAndTraceIdsAreNotPassedOn() {
        var refused = assertInstanceOf(UpstreamAnswer.Refused.class,
                reader.read(500, "{\"error\":{\"code\":{\"x\":1}},\"trace_id\":42}", null, TEXT));
        assertNull(refused.failure().upstreamCode());
        assertNull(refused.traceId());
    }

    @Test
    void transportFailuresAreJudgedByWhetherTheRequestWasSent() {
        assertEquals(TransportFailure.NOT_CONNECTED,
                TransportFailure.classify(new RuntimeException(new ConnectException("refused"))));
        assertEquals(TransportFailure.NO_ANSWER_IN_TIME,
                TransportFailure.classify(new RuntimeException(new TimeoutException())));
        assertEquals(TransportFailure.NO_ANSWER_IN_TIME,
                TransportFailure.classify(new SocketTimeoutException("read timed out")));
        assertEquals(TransportFailure.BROKEN_AFTER_SEND,
                TransportFailure.classify(new RuntimeException("Connection reset")));
        assertTrue(TransportFailure.NOT_CONNECTED.toAnswer() instanceof UpstreamAnswer.Refused r
                && r.kind() == RefusalKind.TRANSIENT && !r.failure().outcomeUnknown());
        assertTrue(TransportFailure.NO_ANSWER_IN_TIME.toAnswer() instanceof UpstreamAnswer.Refused r
                && r.failure().outcomeUnknown() && r.failure().httpStatus() == 504);
        assertTrue(TransportFailure.BROKEN_AFTER_SEND.toAnswer() instanceof UpstreamAnswer.Refused r
                && r.failure().outcomeUnknown() && r.failure().httpStatus() == 502);
    }

    private RefusalKind kind(int status, String code) {
        return refusal(status, code).kind();
    }

    private UpstreamAnswer.Refused refusal(int status, String code) {
        String body = code == null ? "" : "{\"error\":{\"code\":\"" + code + "\",\"message\":\"m\"}}";
        return assertInstanceOf(UpstreamAnswer.Refused.class, reader.read(status, body, null, TEXT));
    }

    private UpstreamAnswer.Refused refusal(int status, String code, String moreFields) {
        String body = "{\"error\":{\"code\":\"" + code + "\"}," + moreFields + "}";
        return assertInstanceOf(UpstreamAnswer.Refused.class, reader.read(status, body, null, TEXT));
    }
}
