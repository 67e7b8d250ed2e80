package cloud.phonematch.verify.priming;

import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.phonematch.verify.json.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * The services the function calls — the verification API, Secrets Manager and DynamoDB — played on 127.0.0.1 by one
 * HTTP server on a free port, for the priming only: every request is answered with the service's success shape and
 * placeholder values, and counted. Runs on the function's Vert.x (Quarkus's); {@link #close()} waits for the clients'
 * connections to go, then stops the server.
 */
final class LoopbackApis implements AutoCloseable {
    /** Who a request was for, told apart as the services themselves are: by path, then by {@code X-Amz-Target}. */
    enum Service {
        VERIFICATION_API, SECRETS_MANAGER, DYNAMODB, UNKNOWN
    }

    /** The placeholder token the played Secrets Manager holds. */
    static final String TOKEN = "priming-placeholder-token";
    private static final String API_PATH = "/identity/phone/check-2e";

    private final HttpServer server;
    private final Duration timeout;
    private final Map<Service, AtomicInteger> answered = new EnumMap<>(Service.class);
    private final AtomicInteger openConnections = new AtomicInteger();
    private final String secretString;
    private int leftOpen;
    private Future<Void> stopping;

    private LoopbackApis(Vertx vertx, String tokenField, Duration timeout) {
        this.timeout = timeout;
        for (Service service : Service.values()) {
            answered.put(service, new AtomicInteger());
        }
        // The shape a JSON secret has in the console: the token under the configured field.
        this.secretString = Json.write(Json.object().put(tokenField, TOKEN));
        this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .connectionHandler(connection -> {
                    openConnections.incrementAndGet();
                    connection.closeHandler(closed -> openConnections.decrementAndGet());
                })
                .requestHandler(this::answer);
    }

    /**
     * Listens on 127.0.0.1, on a port the system picks.
     *
     * @param tokenField the field of the token secret's JSON that holds the token ({@code VERIFY_TOKEN_SECRET_FIELD})
     */
    static LoopbackApis start(Vertx vertx, String tokenField, Duration timeout) {
        LoopbackApis apis = new LoopbackApis(vertx, tokenField, timeout);
        apis.await(apis.server.listen());
        return apis;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.actualPort());
    }

    /** The requests answered for one service so far. */
    int answered(Service service) {
        return answered.get(service).get();
    }

    /** The connections still open when {@link #close()} ran out of patience and closed them itself. */
    int leftOpen() {
        return leftOpen;
    }

    /**
     * Whether the server stopped: {@link #close()} ran and Vert.x's close of the server succeeded, which closes its
     * listening socket (a server on port 0 is not shared with any other).
     */
    boolean stopped() {
        return stopping != null && stopping.succeeded();
    }

    private void answer(HttpServerRequest request) {
        Service service = serviceOf(request.path(), request.getHeader("X-Amz-Target"));
        request.body().onComplete(read -> {
            int status = service == Service.UNKNOWN ? 404 : 200;
            answered.get(service).incrementAndGet();
            request.response()
                    .setStatusCode(status)
                    .putHeader("content-type", contentType(service))
                    .end(body(service));
        });
    }

    static Service serviceOf(String path, String target) {
        if (API_PATH.equals(path)) {
            return Service.VERIFICATION_API;
        }
        if (target == null) {
            return Service.UNKNOWN;
        }
        if (target.startsWith("secretsmanager.")) {
            return Service.SECRETS_MANAGER;
        }
        return target.startsWith("DynamoDB_20120810.") ? Service.DYNAMODB : Service.UNKNOWN;
    }

    private static String contentType(Service service) {
        return switch (service) {
            case SECRETS_MANAGER -> "application/x-amz-json-1.1";
            case DYNAMODB -> "application/x-amz-json-1.0";
            case VERIFICATION_API, UNKNOWN -> "application/json";
        };
    }

    /** Each service's answer to a request that succeeded, with placeholders: no name, number, token or key of anyone. */
    private String body(Service service) {
        return switch (service) {
            // The API's answer: result 0 (consistent).
            case VERIFICATION_API -> Json.write(Json.object().put("result", "0").put("description", "priming")
                    .put("trace_id", "priming"));
            // GetSecretValue's answer.
            case SECRETS_MANAGER -> {
                ObjectNode reply = Json.object().put("ARN",
                        "arn:aws:secretsmanager:us-east-1:000000000000:secret:priming").put("Name", "priming")
                        .put("VersionId", "priming").put("SecretString", secretString);
                reply.putArray("VersionStages").add("AWSCURRENT");
                yield Json.write(reply);
            }
            // A conditional write that was made (PutItem, UpdateItem, DeleteItem without return values).
            case DYNAMODB -> "{}";
            case UNKNOWN -> "{\"message\":\"not played here\"}";
        };
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
