package cloud.phonematch.verify.priming;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * The services the request path calls, played on 127.0.0.1 by one HTTP server on a free port, for the rehearsals
 * only: each request goes to the {@link PlayedService} it is for and is answered with that service's success
 * reply, and counted. Runs on the function's Vert.x (Quarkus's); {@link #close()} waits for the clients' connections to
 * go, then stops the server.
 */
final class LoopbackServices implements AutoCloseable {
    private final HttpServer server;
    private final Duration timeout;
    private final List<PlayedService> played;
    private final Map<String, AtomicInteger> answered = new LinkedHashMap<>();
    private final AtomicInteger unknown = new AtomicInteger();
    private final AtomicInteger openConnections = new AtomicInteger();
    private int leftOpen;
    private Future<Void> stopping;

    private LoopbackServices(Vertx vertx, List<PlayedService> played, Duration timeout) {
        this.timeout = timeout;
        this.played = List.copyOf(played);
        for (PlayedService service : played) {
            answered.put(service.name(), new AtomicInteger());
        }
        this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .connectionHandler(connection -> {
                    openConnections.incrementAndGet();
                    connection.closeHandler(closed -> openConnections.decrementAndGet());
                })
                .requestHandler(this::answer);
    }

    /** Listens on 127.0.0.1, on a port the system picks, playing {@code played}. */
    static LoopbackServices start(Vertx vertx, List<PlayedService> played, Duration timeout) {
        LoopbackServices services = new LoopbackServices(vertx, played, timeout);
        services.await(services.server.listen());
        return services;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.actualPort());
    }

    /** What was answered, and how the server was left: to be asked once {@link #close()} returned. */
    Rehearsed rehearsed() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        answered.forEach((service, count) -> counts.put(service, count.get()));
        return new Rehearsed(counts, unknown.get(), stopping != null && stopping.succeeded(), leftOpen);
    }

    private void answer(HttpServerRequest request) {
        Optional<PlayedService> service = playing(request.path(), request.getHeader("X-Amz-Target"));
        request.body().onComplete(read -> {
            service.ifPresentOrElse(s -> answered.get(s.name()).incrementAndGet(), unknown::incrementAndGet);
            request.response()
                    .setStatusCode(service.isPresent() ? 200 : 404)
                    .putHeader("content-type", service.map(PlayedService::contentType).orElse("application/json"))
                    .end(service.map(PlayedService::successReply).orElse("{\"message\":\"not played here\"}"));
        });
    }

    private Optional<PlayedService> playing(String path, String target) {
        return played.stream().filter(service -> service.isFor().test(path, target)).findFirst();
    }

    /** Waits (bounded) for the clients to close their connections, then stops the server and waits for that too. */
    @Override
    public void close() {
        long until = System.nanoTime() + timeout.toNanos();
        while (openConnections.get() > 0 && System.nanoTime() < until) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        leftOpen = openConnections.get();
        stopping = server.close();
        await(stopping);
    }

    private <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the priming's loopback server started or stopped");
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the priming's loopback server did not start or stop in time ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
