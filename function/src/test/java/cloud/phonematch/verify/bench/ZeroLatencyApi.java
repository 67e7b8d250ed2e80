package cloud.phonematch.verify.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

/** A local stand-in for the API that answers result 0 at once: the floor of a call over loopback. */
public final class ZeroLatencyApi implements AutoCloseable {
    private static final byte[] ANSWER = "{\"result\":\"0\",\"description\":\"ok\",\"trace_id\":\"bench\"}"
            .getBytes(StandardCharsets.UTF_8);
    private final HttpServer server;

    public ZeroLatencyApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/identity/phone/check-2e", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, ANSWER.length);
            exchange.getResponseBody().write(ANSWER);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
