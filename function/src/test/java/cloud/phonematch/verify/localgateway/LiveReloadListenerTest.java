package cloud.phonematch.verify.localgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

/**
 * The socket that outlives live reloads: the reload check runs before each request, the request then goes to the
 * handler that is current by then, with its body intact, and without one the answer is 503.
 */
class LiveReloadListenerTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private Vertx vertx;
    private LiveReloadListener listener;
    private final AtomicInteger checks = new AtomicInteger();
    private final AtomicBoolean checkFails = new AtomicBoolean();

    @BeforeEach
    void listen() {
        vertx = Vertx.vertx();
        listener = LiveReloadListener.listen(vertx, "127.0.0.1", 0, () -> {
            checks.incrementAndGet();
            if (checkFails.get()) {
                throw new IllegalStateException("does not compile");
            }
            return false;
        });
    }

    @AfterEach
    void close() {
        listener.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** Answers with its name and the body it read. */
    private static Handler<HttpServerRequest> echo(String name) {
        return request -> request.body().onSuccess(body -> request.response().end(name + ":" + body));
    }

    private HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listener.getAsInt() + "/verifications"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void requestsGoToTheCurrentHandlerWithTheirBody() throws Exception {
        listener.accept(echo("first"));
        assertEquals("first:a", post("a").body());

        listener.accept(echo("reloaded"));
        assertEquals("reloaded:" + "b".repeat(100_000), post("b".repeat(100_000)).body());
        assertEquals(2, checks.get(), "one reload check before each request");
    }

    @Test
    void withoutAHandlerTheAnswerIs503() throws Exception {
        listener.accept(echo("first"));
        listener.accept(null);

        HttpResponse<String> response = post("a");

        assertEquals(503, response.statusCode());
        assertEquals("{\"message\":\"Service Unavailable\"}", response.body());
        assertEquals("application/json", response.headers().firstValue("content-type").orElse(null));
    }

    @Test
    void whenTheReloadCheckFailsTheAnswerIs503() throws Exception {
        listener.accept(echo("first"));
        checkFails.set(true);

        assertEquals(503, post("a").statusCode());

        checkFails.set(false);
        assertEquals("first:a", post("a").body(), "the next request after a fix gets through");
    }
}
