package cloud.phonematch.verify.upstream;

import java.net.SocketTimeoutException;
import java.util.concurrent.TimeoutException;

import cloud.phonematch.verify.output.Charge;
import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.verification.CauseChain;
import cloud.phonematch.verify.verification.ConnectionNeverMade;
import cloud.phonematch.verify.verification.UpstreamAnswer;
import cloud.phonematch.verify.verification.UpstreamAnswer.RefusalKind;

/**
 * What went wrong when no HTTP reply came back, judged by whether the request could have reached the API
 * (and so been charged). Decided on the exception's type chain only; its message is never read or kept.
 */
enum TransportFailure {
    /** No connection was made: the request never left, nothing can have been charged. */
    NOT_CONNECTED(ErrorType.UPSTREAM_UNAVAILABLE, Charge.NOT_CHARGED, "the API could not be reached"),
    /** Sent, but no answer within the attempt's time: the API may have charged it. */
    NO_ANSWER_IN_TIME(ErrorType.UPSTREAM_TIMEOUT, Charge.MAYBE_CHARGED, "the API did not answer in time"),
    /** The connection broke after the request was sent: the API may have charged it. */
    BROKEN_AFTER_SEND(ErrorType.UPSTREAM_UNAVAILABLE, Charge.MAYBE_CHARGED,
            "the connection to the API broke before it answered");

    private final ErrorType type;
    private final Charge charge;
    private final String message;

    TransportFailure(ErrorType type, Charge charge, String message) {
        this.type = type;
        this.charge = charge;
        this.message = message;
    }

    UpstreamAnswer toAnswer() {
        Failure failure = Failure.of(type, message);
        return new UpstreamAnswer.Refused(charge == Charge.MAYBE_CHARGED ? failure.maybeCharged() : failure,
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
