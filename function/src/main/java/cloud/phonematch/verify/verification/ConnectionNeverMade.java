package cloud.phonematch.verify.verification;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;

/**
 * Whether a call that got no reply failed before any connection was made: refused, no route, a name that did not
 * resolve, or a connect timeout. Then nothing was sent, so nothing can have been charged by the API or written by a
 * store, and the call can be treated as never made. Every other failure without a reply may have followed a request
 * that arrived. Decided on the exception's type chain only; no message is read or kept.
 */
public final class ConnectionNeverMade {
    private ConnectionNeverMade() {
    }

    /**
     * @param failure what the call threw, with its causes ({@link CauseChain})
     * @return true when the chain shows that no connection was made
     */
    public static boolean in(Throwable failure) {
        // Netty's connect timeout extends ConnectException; the name also catches a client's own connect timeout
        // that does not.
        return CauseChain.of(failure).stream().anyMatch(t -> t instanceof ConnectException
                || t instanceof UnknownHostException || t instanceof NoRouteToHostException
                || t.getClass().getName().endsWith("ConnectTimeoutException"));
    }
}
