package cloud.phonematch.verify.localgateway;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * The local HTTP API's requests, as Vert.x core's HTTP server (on the class path for the REST client, so no server
 * dependency is added) delivers them, handed to an {@link HttpApiStage} and answered.
 * <p>
 * The function runs on one worker thread, one invocation at a time, as in one Lambda execution environment;
 * concurrent requests wait their turn (deployed, Lambda would start more environments). The throttle decides when a
 * request arrives, so a burst is throttled as it would be deployed however long the invocations take.
 */
final class GatewayHttpHandler implements Handler<HttpServerRequest>, AutoCloseable {
    /** API Gateway's payload quota for an HTTP API; a larger body is refused before the function is invoked. */
    static final int PAYLOAD_QUOTA_BYTES = 10 * 1024 * 1024;

    private final HttpApiStage stage;
    private final WorkerExecutor functionThread;

    private GatewayHttpHandler(HttpApiStage stage, WorkerExecutor functionThread) {
        this.stage = stage;
        this.functionThread = functionThread;
    }

    /** The requests' handler for this function, with the stage's throttle and the function's timeout. */
    static GatewayHttpHandler create(Vertx vertx, RequestStreamHandler function, LocalGatewaySettings settings) {
        HttpApiStage stage = new HttpApiStage(new TokenBucket(settings.rateLimit(), settings.burstLimit(),
                System::nanoTime), new LocalFunction(function, settings.functionTimeout(), System::nanoTime),
                Clock.systemUTC());
        // One thread; Vert.x warns about an invocation still running a minute past the function's timeout.
        WorkerExecutor functionThread = vertx.createSharedWorkerExecutor("local-gateway-function", 1,
                settings.functionTimeout().toMillis() + 60_000, TimeUnit.MILLISECONDS);
        return new GatewayHttpHandler(stage, functionThread);
    }

    @Override
    public void handle(HttpServerRequest request) {
        HttpApiStage.Arrival arrival = stage.arrive();
        Buffer body = Buffer.buffer();
        boolean[] overQuota = { false };
        request.handler(chunk -> {
            if (overQuota[0] || body.length() + chunk.length() > PAYLOAD_QUOTA_BYTES) {
                overQuota[0] = true;
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.exceptionHandler(e -> request.connection().close());
        request.endHandler(end -> stage.refusal(arrival, overQuota[0]).ifPresentOrElse(
                refusal -> send(request, refusal), // at once, without waiting for the function's thread
                () -> {
                    GatewayRequest received = received(request, body.getBytes());
                    functionThread.executeBlocking(() -> stage.invoke(arrival, received), true).onComplete(
                            done -> send(request, done.succeeded() ? done.result() : stage.failed(arrival, done.cause())));
                }));
    }

    /** Stops the function's thread; the requests still waiting for it are not answered. */
    @Override
    public void close() {
        functionThread.close();
    }

    private static GatewayRequest received(HttpServerRequest request, byte[] body) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        request.headers().forEach(h -> headers.add(Map.entry(h.getKey(), h.getValue())));
        return new GatewayRequest(request.method().name(), request.path(),
                request.query() == null ? "" : request.query(), protocol(request),
                request.remoteAddress() == null ? "127.0.0.1" : request.remoteAddress().hostAddress(),
                request.localAddress() == null ? 0 : request.localAddress().port(), headers, body);
    }

    private static String protocol(HttpServerRequest request) {
        return switch (request.version()) {
            case HTTP_1_0 -> "HTTP/1.0";
            case HTTP_1_1 -> "HTTP/1.1";
            case HTTP_2 -> "HTTP/2.0";
        };
    }

    static void send(HttpServerRequest request, GatewayResponse response) {
        HttpServerResponse out = request.response().setStatusCode(response.status());
        response.headers().forEach(h -> out.headers().add(h.getKey(), h.getValue()));
        out.end(Buffer.buffer(response.body()));
    }
}
