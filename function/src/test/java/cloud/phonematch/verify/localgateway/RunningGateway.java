package cloud.phonematch.verify.localgateway;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import io.vertx.core.Vertx;

/**
 * A local HTTP API started by a test, as dev mode starts it but on a free loopback port and without live reload;
 * and requests to it over a real socket.
 */
public final class RunningGateway implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final LiveReloadListener listener;
    private final GatewayHttpHandler handler;

    private RunningGateway(LiveReloadListener listener, GatewayHttpHandler handler) {
        this.listener = listener;
        this.handler = handler;
    }

    /** Listens on a free port of 127.0.0.1, whatever host and port the settings name. */
    public static RunningGateway start(Vertx vertx, RequestStreamHandler function, LocalGatewaySettings settings) {
        LiveReloadListener listener = LiveReloadListener.listen(vertx, "127.0.0.1", 0, () -> false);
        GatewayHttpHandler handler = GatewayHttpHandler.create(vertx, function, settings);
        listener.accept(handler);
        return new RunningGateway(listener, handler);
    }

    /** The defaults (the deployed stack's), with these properties changed. */
    public static LocalGatewaySettings settings(Map<String, String> properties) {
        return LocalGatewaySettings.from(name -> Optional.ofNullable(properties.get(name)));
    }

    public int port() {
        return listener.getAsInt();
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    /** Sends the request to this gateway; the body as bytes. */
    public HttpResponse<byte[]> send(HttpRequest.Builder request) {
        try {
            return CLIENT.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new AssertionError("the local HTTP API did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        listener.close();
        handler.close();
    }
}
