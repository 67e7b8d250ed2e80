package cloud.phonematch.verify.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.ResultCode;
import cloud.phonematch.verify.verification.UpstreamAnswer;
import cloud.phonematch.verify.verification.UpstreamAnswer.RefusalKind;

/** The mapping table alone, without HTTP: codes, errors, refusal kinds and Retry-After arithmetic. */
class UpstreamReplyTableTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private final UpstreamReplyTable table = new UpstreamReplyTable(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void numericResultCodesAreAcceptedToo() {
        UpstreamAnswer a = table.map(200, "{\"result\": -1, \"trace_id\": \"t\"}", null);
        assertEquals(new UpstreamAnswer.Answered(ResultCode.NO_RECORD, "t"), a);
    }

    @Test
    void refusalKindsFollowTheMoneyRule() {
        assertEquals(RefusalKind.TOKEN_REJECTED, kind(401, "invalid_token"));
        assertEquals(RefusalKind.TOKEN_REJECTED, kind(400, "token_mismatched"));
        assertEquals(RefusalKind.UNCHARGED_TRANSIENT, kind(429, "too_many_requests"));
        assertEquals(RefusalKind.UNCHARGED_TRANSIENT, kind(500, "api_error"));
        assertEquals(RefusalKind.UNCHARGED_TRANSIENT, kind(503, null));
        assertEquals(RefusalKind.FINAL, kind(400, "bad_request"));
        assertEquals(RefusalKind.FINAL, kind(403, "used_up"));
        assertEquals(RefusalKind.FINAL, kind(404, null));
    }

    @Test
    void retryAfterInSecondsOrAsAnHttpDate() {
        assertEquals(Optional.of(120L), table.retryAfterSeconds("120"));
        assertEquals(Optional.of(90L), table.retryAfterSeconds("Wed, 25 Nov 2026 10:01:30 GMT"));
        assertEquals(Optional.of(0L), table.retryAfterSeconds("Wed, 25 Nov 2026 09:00:00 GMT"));
        assertEquals(Optional.of(0L), table.retryAfterSeconds("-5"));
        assertEquals(Optional.empty(), table.retryAfterSeconds("soon"));
        assertEquals(Optional.empty(), table.retryAfterSeconds(null));
    }

    @Test
    void rateLimitWithoutRetryAfterGetsTheDefault() {
        var refused = assertInstanceOf(UpstreamAnswer.Refused.class, table.map(429, "", null));
        assertEquals(ErrorType.RATE_LIMITED, refused.failure().type());
        assertEquals(UpstreamReplyTable.DEFAULT_RETRY_AFTER_SECONDS,
                refused.failure().retryAfterSeconds().getAsLong());
    }

    @Test
    void overlongUnknownCodeIsCapped() {
        var refused = assertInstanceOf(UpstreamAnswer.Refused.class,
                table.map(200, "{\"result\":\"" + "9".repeat(40) + "\"}", null));
        assertEquals(16, refused.failure().upstreamCode().length());
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
                && r.kind() == RefusalKind.UNCHARGED_TRANSIENT);
    }

    private RefusalKind kind(int status, String code) {
        String body = code == null ? "" : "{\"error\":{\"code\":\"" + code + "\",\"message\":\"m\"}}";
        return assertInstanceOf(UpstreamAnswer.Refused.class, table.map(status, body, null)).kind();
    }
}
