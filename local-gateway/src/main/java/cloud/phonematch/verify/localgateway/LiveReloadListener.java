package cloud.phonematch.verify.localgateway;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.shareddata.Shareable;

/**
 * The local HTTP API's socket, made to outlive dev mode's live reloads: a reload replaces the application (and its
 * classes), but not Vert.x, and not this listener. Before each request it runs the live-reload check, which
 * recompiles and restarts the application when code changed; the request then goes to the handler of the
 * application that is current by then. So a {@code curl} after an edit is answered by the edited code, as a request
 * to the mock event server is, and the port is never closed in between.
 * <p>
 * An application reaches a listener that an earlier one created only through the types its class loader shares with
 * every application — Vert.x's and the JDK's — which is why this class exposes its operations as
 * {@link Consumer} (set the current handler, {@code null} while none), {@link IntSupplier} (the port) and
 * {@link AutoCloseable} (stop listening), and is {@link Shareable} so that it can be kept in Vert.x's local shared
 * data.
 */
final class LiveReloadListener implements Handler<HttpServerRequest>, Consumer<Handler<HttpServerRequest>>,
        IntSupplier, AutoCloseable, Shareable {
    private final Vertx vertx;
    private final Callable<Boolean> reloadCheck;
    private volatile HttpServer server;
    private volatile Handler<HttpServerRequest> current;

    private LiveReloadListener(Vertx vertx, Callable<Boolean> reloadCheck) {
        this.vertx = vertx;
        this.reloadCheck = reloadCheck;
    }

    /**
     * Listens on the address, with no handler yet (requests are answered 503 until one is set).
     *
     * @param reloadCheck run on a worker thread before each request; may restart the application (dev mode's check)
     * @throws IllegalStateException when it cannot listen there
     */
    static LiveReloadListener listen(Vertx vertx, String host, int port, Callable<Boolean> reloadCheck) {
        LiveReloadListener listener = new LiveReloadListener(vertx, reloadCheck);
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)
                .setHandle100ContinueAutomatically(true));
        server.requestHandler(listener);
        try {
            listener.server = server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the local HTTP API could not listen on " + host + ":" + port + " ("
                    + rootCause(e) + ")", e);
        }
        return listener;
    }

    /** Sets the handler of the current application; {@code null} while there is none (a reload in progress). */
    @Override
    public void accept(Handler<HttpServerRequest> handler) {
        current = handler;
    }

    /** The port it listens on. */
    @Override
    public int getAsInt() {
        return server.actualPort();
    }

    @Override
    public void handle(HttpServerRequest request) {
        request.pause(); // the body waits for the handler that will read it
        vertx.executeBlocking(reloadCheck, false).onComplete(checked -> {
            Handler<HttpServerRequest> handler = current;
            if (checked.failed() || handler == null) {
                // The reloaded application could not start (dev mode logs why; code that does not compile leaves the
                // running one in place), or none is up yet: API Gateway's answer when its integration is unreachable.
                GatewayHttpHandler.send(request, GatewayResponse.gatewayMessage(503, "Service Unavailable"));
            } else {
                handler.handle(request);
            }
            request.resume();
        });
    }

    /** Stops listening (when dev mode's settings change, or a test ends). */
    @Override
    public void close() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Closing for good: nothing is left to do about a failure.
        }
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
