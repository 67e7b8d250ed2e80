package cloud.phonematch.verify.http;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

/**
 * The function's REST clients (the API's and the AWS services'), built and closed one way: a client per base URL with
 * its own connect and read timeouts, no default exception mapper (a status is an answer to map, not an exception), and
 * a failure of one of its connections reported by the call alone ({@link ConnectionFailures}).
 */
public final class RestClients {
    private RestClients() {
    }

    /** A client of {@code api} at {@code baseUri}. */
    public static <T> T build(Class<T> api, URI baseUri, Duration connectTimeout, Duration readTimeout) {
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(baseUri)
                .connectTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(readTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .disableDefaultMapper(true)
                // Vert.x would log a failure of the connection at ERROR; the call reports it.
                .httpClientRequestCustomizer(ConnectionFailures::handleOn)
                .build(api);
    }

    /** Closes a client built here, and with it its connections; a null one (never built) is left alone. */
    public static void close(Object client) {
        if (client instanceof Closeable closeable) {
            try {
                closeable.close();
            } catch (IOException e) {
                // Closing a REST client releases its connections; it reports no failure worth more than this.
            }
        }
    }
}
