package cloud.phonematch.verify.upstream;

import java.net.SocketTimeoutException;
import java.util.concurrent.TimeoutException;

import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.verification.CauseChain;
import cloud.phonematch.verify.verification.ChargeRule;
import cloud.phonematch.verify.verification.ConnectionNeverMade;
import cloud.phonematch.verify.verification.UpstreamAnswer;
import cloud.phonematch.verify.verification.UpstreamAnswer.RefusalKind;

/**
 * What went wrong when no HTTP reply came back, judged by whether the request could have reached the API; whether it
 * may then have been charged is the {@link ChargeRule}'s ({@code noReply}). Decided on the exception's type chain
 * only; its message is never read or kept.
 */
enum TransportFailure {
    /** No connection was made: the request never left. */
    NOT_CONNECTED(ErrorType.UPSTREAM_UNAVAILABLE, false, "the API could not be reached"),
    /** Sent, but no answer within the attempt's time. */
    NO_ANSWER_IN_TIME(ErrorType.UPSTREAM_TIMEOUT, true, "the API did not answer in time"),
    /** The connection broke after the request was sent. */
    BROKEN_AFTER_SEND(ErrorType.UPSTREAM_UNAVAILABLE, true, "the connection to the API broke before it answered");

    private final ErrorType type;
    private final boolean mayHaveArrived;
    private final String message;

    TransportFailure(ErrorType type, boolean mayHaveArrived, String message) {
        this.type = type;
        this.mayHaveArrived = mayHaveArrived;
        this.message = message;
    }

    UpstreamAnswer toAnswer() {
        return new UpstreamAnswer.Refused(ChargeRule.noReply(mayHaveArrived).mark(Failure.of(type, message)),
                RefusalKind.TRANSIENT, null);
    }

    static TransportFailure classify(Throwable error) {
        if (ConnectionNeverMade.in(error)) {
            return NOT_CONNECTED;
        }
        boolean timedOut = CauseChain.of(error).stream().anyMatch(t -> t instanceof TimeoutException
                || t instanceof SocketTimeoutException || t.getClass().getName().endsWith("TimeoutException"));
        if (timedOut) {
            return NO_ANSWER_IN_TIME;
        }
        return BROKEN_AFTER_SEND;
    }
}
