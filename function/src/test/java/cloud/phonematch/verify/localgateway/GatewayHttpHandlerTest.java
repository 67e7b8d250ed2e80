package cloud.phonematch.verify.localgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import io.vertx.core.Vertx;

/** The local HTTP API over a real socket, in front of stand-in functions: what the gateway itself decides. */
class GatewayHttpHandlerTest {
    private static final String ANSWER = "{\"statusCode\":200,\"cookies\":[\"a=1\",\"b=2\"],\"body\":\"ok\"}";

    private Vertx vertx;
    private final AtomicInteger invocations = new AtomicInteger();

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stopVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private RequestStreamHandler answering(String output) {
        return (in, out, context) -> {
            invocations.incrementAndGet();
            in.readAllBytes();
            out.write(output.getBytes(StandardCharsets.UTF_8));
        };
    }

    private static HttpRequest.Builder post(RunningGateway gateway, byte[] body) {
        return HttpRequest.newBuilder(gateway.uri("/verifications")).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    void theFunctionsResponseIsSentAsApiGatewayMapsIt() {
        try (RunningGateway gateway = RunningGateway.start(vertx, answering(ANSWER), RunningGateway.settings(Map.of()))) {
            HttpResponse<byte[]> response = gateway.send(post(gateway, "{}".getBytes(StandardCharsets.UTF_8)));

            assertEquals(200, response.statusCode());
            assertEquals("ok", text(response));
            assertEquals(List.of("a=1", "b=2"), response.headers().allValues("set-cookie"));
            assertEquals("application/json", response.headers().firstValue("content-type").orElse(null));
            assertTrue(response.headers().firstValue("apigw-requestid").orElse("").matches("[A-Za-z0-9+/]{15}="));
            assertTrue(response.headers().firstValue("date").isPresent());
        }
    }

    @Test
    void aThrottledRequestIsAnsweredAtOnceWhileTheFunctionIsBusy() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RequestStreamHandler busy = (in, out, context) -> {
            invocations.incrementAndGet();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.write(ANSWER.getBytes(StandardCharsets.UTF_8));
        };
        try (RunningGateway gateway = RunningGateway.start(vertx, busy, RunningGateway.settings(Map.of(
                "local-gateway.throttle-rate-limit", "0", "local-gateway.throttle-burst-limit", "1")))) {
            CompletableFuture<HttpResponse<byte[]>> first = CompletableFuture
                    .supplyAsync(() -> gateway.send(post(gateway, new byte[] { '{', '}' })));
            while (invocations.get() == 0) {
                Thread.sleep(5);
            }

            HttpResponse<byte[]> throttled = gateway.send(post(gateway, new byte[] { '{', '}' }));
            release.countDown();

            assertEquals(429, throttled.statusCode());
            assertEquals("{\"message\":\"Too Many Requests\"}", text(throttled));
            assertEquals("application/json", throttled.headers().firstValue("content-type").orElse(null));
            assertEquals(200, first.get(30, TimeUnit.SECONDS).statusCode());
            assertEquals(1, invocations.get());
        }
    }

    @Test
    void aBodyOverApiGatewaysPayloadQuotaIsRefusedWithoutTheFunction() {
        try (RunningGateway gateway = RunningGateway.start(vertx, answering(ANSWER), RunningGateway.settings(Map.of()))) {
            HttpResponse<byte[]> response = gateway.send(post(gateway, new byte[GatewayHttpHandler.PAYLOAD_QUOTA_BYTES + 1]));

            assertEquals(413, response.statusCode());
            assertEquals("{\"message\":\"Request Entity Too Large\"}", text(response));
            assertEquals(0, invocations.get());
        }
    }

    @Test
    void aFunctionThatThrowsIsAnswered500() {
        RequestStreamHandler failing = (in, out, context) -> {
            throw new IOException("the function broke");
        };
        try (RunningGateway gateway = RunningGateway.start(vertx, failing, RunningGateway.settings(Map.of()))) {
            HttpResponse<byte[]> response = gateway.send(post(gateway, new byte[] { '{', '}' }));

            assertEquals(500, response.statusCode());
            assertEquals("{\"message\":\"Internal Server Error\"}", text(response));
        }
    }

    @Test
    void theFunctionRunsOneInvocationAtATimeAsInOneExecutionEnvironment() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        RequestStreamHandler slow = (in, out, context) -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            out.write(ANSWER.getBytes(StandardCharsets.UTF_8));
        };
        try (RunningGateway gateway = RunningGateway.start(vertx, slow, RunningGateway.settings(Map.of()))) {
            List<CompletableFuture<HttpResponse<byte[]>>> requests = java.util.stream.IntStream.range(0, 8)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> gateway.send(post(gateway, new byte[] { '{', '}' }))))
                    .toList();

            for (CompletableFuture<HttpResponse<byte[]>> request : requests) {
                assertEquals(200, request.get(30, TimeUnit.SECONDS).statusCode());
            }
            assertEquals(1, mostAtOnce.get());
        }
    }
}
