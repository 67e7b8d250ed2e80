package cloud.phonematch.verify.verification;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

class ConnectionNeverMadeTest {
    /** Netty's connect timeout: told by its name, as a client's own connect timeout may not extend ConnectException. */
    static final class ConnectTimeoutException extends IOException {
    }

    @Test
    void aConnectionRefusedUnresolvedOrUnroutedAnywhereInTheChainWasNeverMade() {
        assertTrue(ConnectionNeverMade.in(new ConnectException("refused")));
        assertTrue(ConnectionNeverMade.in(new CompletionException(new RuntimeException(new ConnectException()))),
                "clients wrap the socket's exception");
        assertTrue(ConnectionNeverMade.in(new RuntimeException(new UnknownHostException())));
        assertTrue(ConnectionNeverMade.in(new RuntimeException(new NoRouteToHostException())));
        assertTrue(ConnectionNeverMade.in(new RuntimeException(new ConnectTimeoutException())));
    }

    @Test
    void noAnswerInTimeOrABrokenConnectionMayHaveFollowedARequestThatArrived() {
        assertFalse(ConnectionNeverMade.in(new TimeoutException()));
        assertFalse(ConnectionNeverMade.in(new CompletionException(new SocketTimeoutException("read timed out"))));
        assertFalse(ConnectionNeverMade.in(new IOException("Connection reset")));
        assertFalse(ConnectionNeverMade.in(null));
    }

    @Test
    void aChainThatLoopsEnds() {
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.initCause(second);

        assertFalse(ConnectionNeverMade.in(first));
    }
}
