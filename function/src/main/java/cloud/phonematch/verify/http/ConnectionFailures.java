package cloud.phonematch.verify.http;

import org.jboss.logging.Logger;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpConnection;

/**
 * What becomes of a failure of one of the REST clients' connections (the peer reset it, a write to it broke).
 * <p>
 * Vert.x gives such a failure to the connection's exception handler and then to the request in flight on it, if any.
 * The REST client sets no handler on its connections, and without one Vert.x logs the failure itself, at ERROR, with
 * its message only ({@code io.vertx.core.net.impl.ConnectionBase}: "Connection reset"): a line per broken connection
 * on top of the function's own report. The request in flight fails with the failure all the same, and its invocation
 * reports it (the summary line's {@code error.type}); a connection that breaks while idle in the pool is dropped from
 * it and no invocation is affected. So the handler set here only writes a DEBUG line naming the exception's class (its
 * message may name a host).
 */
public final class ConnectionFailures {
    private static final Logger LOG = Logger.getLogger(ConnectionFailures.class);
    private static final Handler<Throwable> REPORTED_BY_THE_CALL = failure -> LOG
            .debugf("a REST client's connection failed: %s", failure.getClass().getSimpleName());

    private ConnectionFailures() {
    }

    /**
     * Sets the handler on the connection a request is sent on: for every REST client of the function, as its
     * {@code httpClientRequestCustomizer} (the client's one hook that reaches its connections).
     */
    static void handleOn(HttpClientRequest request) {
        HttpConnection connection = request.connection();
        if (connection != null) {
            connection.exceptionHandler(REPORTED_BY_THE_CALL);
        }
    }
}
