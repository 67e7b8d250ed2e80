package cloud.phonematch.verify.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import cloud.phonematch.verify.aws.AwsJsonClient;
import cloud.phonematch.verify.aws.SignedJsonRequest;
import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.records.DynamoDbRecordStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * DynamoDB failing at the wire: an HTTP proxy on 127.0.0.1 in front of a DynamoDB engine ({@link LocalDynamoDb}'s
 * by default) that passes each request on, or fails it as a real table or network can ({@link Fault}). The code
 * under test is pointed at {@link #endpoint()} as it would be at DynamoDB; the proxy journals every request it
 * received and what it did with it, so that a test counts calls here, at the fake, and reads the table from the
 * engine ({@link #scan}), not from the code under test.
 * <p>
 * A request goes on with its method, path, body and headers, less the hop-by-hop ones and {@code Host} and
 * {@code Content-Length} (the HTTP client sets those for the engine). Its SigV4 signature covers the {@code Host}
 * the client signed for, the proxy's, so a verifier at the engine would refuse it; moto checks no signature unless
 * its {@code INITIAL_NO_AUTH_ACTION_COUNT} is set, which {@link LocalDynamoDb} does not set, and takes the region
 * (moto keeps tables per region) from the signature's credential scope, which is passed on as it came.
 * <p>
 * Requests are served concurrently, on an executor of {@value #THREADS} threads of its own; faults, journal and
 * counts are thread-safe.
 */
public final class FaultyDynamoDb implements AutoCloseable {
    /** The status of a {@link Call} that got no HTTP reply, or of an engine that gave none. */
    public static final int NO_STATUS = -1;

    /** The region {@link LocalDynamoDb}'s clients sign for: the engine's tables are in it. */
    public static final Region REGION = Region.CN_NORTH_1;

    static final String INTERNAL_SERVER_ERROR = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\","
            + "\"message\":\"Internal server error\"}";
    static final String THROTTLING = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ThrottlingException\","
            + "\"message\":\"Rate of requests exceeds the allowed throughput.\"}";
    static final String GARBAGE = "<html><head><title>502 Bad Gateway</title></head>"
            + "<body><h1>502 Bad Gateway</h1></body></html>";

    private static final String JSON = "application/x-amz-json-1.0";
    private static final int THREADS = 8;
    /** Longer than any call timeout of the code under test: a client that gave up still has its write made. */
    private static final Duration ENGINE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    /** The engine checks no credentials; these are {@link LocalDynamoDb}'s throwaway ones. */
    private static final AwsBasicCredentials CREDENTIALS = AwsBasicCredentials.create("AKIDLOCALTEST",
            "local-test-secret");
    /** Headers of one connection, not of the request (RFC 9110 7.6.1), and those the HTTP client sets itself. */
    private static final Set<String> NOT_PASSED_ON = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "expect",
            "host", "content-length");
    /** The threads serving a proxy are named this, its port, a dash and a number. */
    static final String THREAD_PREFIX = "faulty-dynamodb-";

    /**
     * What a request meets at the proxy. Each says whether the engine applies the request ({@link #forwards()}) and
     * what the client hears instead of, or besides, the engine's reply.
     */
    public enum Fault {
        /** No fault: passed on, and the engine's reply passed back as it came (status, headers and bytes). */
        PASS(true),
        /**
         * The table made the write and answered a server error: passed on (the engine applies it), then HTTP 500
         * {@code InternalServerError} instead of the engine's reply. For the client the outcome is unknown.
         */
        APPLY_THEN_500(true),
        /** The table failed before doing anything: not passed on, HTTP 500 {@code InternalServerError}. */
        REFUSE_500(false),
        /** The write made and its reply cut short on the way: passed on, then HTTP 200 with an empty body. */
        APPLY_THEN_EMPTY_200(true),
        /**
         * The write made and its reply replaced on the way, by a proxy's or load balancer's error page: passed on,
         * then HTTP 200 with an HTML body, not JSON.
         */
        APPLY_THEN_GARBAGE_200(true),
        /** A success that says nothing, and nothing was done: not passed on, HTTP 200 with an empty body. */
        EMPTY_200_NOT_APPLIED(false),
        /**
         * Throttled: refused before any work, so another try is safe. Not passed on, HTTP 400
         * {@code ThrottlingException}.
         */
        THROTTLE(false),
        /**
         * The write made and the connection lost before its reply: passed on, then the client's connection is closed
         * without any HTTP reply (the client sees a broken connection, no status).
         */
        APPLY_THEN_NO_REPLY(true);

        private final boolean forwards;

        Fault(boolean forwards) {
            this.forwards = forwards;
        }

        /** Whether the request reaches the engine, which then applies it. */
        public boolean forwards() {
            return forwards;
        }
    }

    /**
     * One request the proxy received and what became of it.
     *
     * @param operation the operation of its {@code X-Amz-Target} ({@code PutItem}), empty when it named none
     * @param fault the fault it met, {@link Fault#PASS} when none
     * @param forwarded whether it was passed on to the engine
     * @param status the HTTP status the client was sent, {@link #NO_STATUS} when it was sent no reply
     * @param request the request body
     * @param engineStatus the engine's HTTP status, {@link #NO_STATUS} when not passed on or the engine did not answer
     * @param engineReply the engine's reply body, null when not passed on or the engine did not answer
     */
    public record Call(String operation, Fault fault, boolean forwarded, int status, String request,
            int engineStatus, String engineReply) {
    }

    /** What goes back to the client: status, headers and body; {@code null} in its place means no reply at all. */
    private record Reply(int status, Map<String, List<String>> headers, byte[] body) {
        static Reply json(int status, String body) {
            return new Reply(status, Map.of("Content-Type", List.of(JSON)), body.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final URI engine;
    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient http;
    private final Map<String, Queue<Fault>> queued = new HashMap<>();
    private Fault standing;
    private final List<Call> journal = new CopyOnWriteArrayList<>();

    private FaultyDynamoDb(URI engine) throws IOException {
        this.engine = engine;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // Named by the proxy's address, so that a test can tell this proxy's threads from any other's.
        String threadName = THREAD_PREFIX + server.getAddress().getPort() + "-";
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(THREADS, task -> {
            Thread thread = new Thread(task, threadName + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(ENGINE_TIMEOUT)
                .build();
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** A proxy in front of {@link LocalDynamoDb}'s engine (the test class must extend with it). */
    public static FaultyDynamoDb start() {
        String endpoint = System.getProperty(LocalDynamoDb.ENDPOINT_PROPERTY);
        if (endpoint == null) {
            throw new IllegalStateException("the local DynamoDB is not running: extend the test class with "
                    + LocalDynamoDb.class.getSimpleName());
        }
        return start(URI.create(endpoint));
    }

    /** A proxy in front of the DynamoDB engine at {@code engine}. */
    public static FaultyDynamoDb start(URI engine) {
        try {
            return new FaultyDynamoDb(engine);
        } catch (IOException e) {
            throw new UncheckedIOException("the proxy could not listen on 127.0.0.1", e);
        }
    }

    /** Where the code under test sends its requests: {@code http://127.0.0.1:port}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The engine behind the proxy. */
    public URI engine() {
        return engine;
    }

    /** A client of the proxy, signed as {@link LocalDynamoDb#client} is; the caller closes it. */
    public AwsJsonClient client(Duration timeout) {
        return AwsJsonClient.of(DynamoDbRecordStore.DYNAMODB, endpoint(), REGION,
                StaticCredentialsProvider.create(CREDENTIALS), timeout, Clock.systemUTC());
    }

    /**
     * Queues faults for the next requests of {@code operation} ({@code PutItem}, {@code UpdateItem}, ...), one each,
     * first in first out, after any already queued. {@link Fault#PASS} lets one request through.
     */
    public synchronized void inject(String operation, Fault... faults) {
        Objects.requireNonNull(operation, "operation");
        Queue<Fault> queue = queued.computeIfAbsent(operation, op -> new ArrayDeque<>());
        for (Fault fault : faults) {
            queue.add(Objects.requireNonNull(fault, "fault"));
        }
    }

    /** Every request from now on, of any operation, meets {@code fault}, unless a fault queued for it comes first. */
    public synchronized void injectAll(Fault fault) {
        standing = Objects.requireNonNull(fault, "fault");
    }

    /** No more faults: the queued ones and the standing one are dropped; the journal stays. */
    public synchronized void clear() {
        queued.clear();
        standing = null;
    }

    /** How many faults queued for {@code operation} no request has met yet. */
    public synchronized int pending(String operation) {
        Queue<Fault> queue = queued.get(operation);
        return queue == null ? 0 : queue.size();
    }

    /** Every request received so far, in the order their replies were decided. */
    public List<Call> journal() {
        return List.copyOf(journal);
    }

    /** The requests of one operation received so far. */
    public List<Call> journal(String operation) {
        return journal.stream().filter(call -> call.operation().equals(operation)).toList();
    }

    /** How many requests of {@code operation} the proxy received. */
    public int count(String operation) {
        return journal(operation).size();
    }

    /** How many requests of {@code operation} reached the engine. */
    public int forwarded(String operation) {
        return (int) journal(operation).stream().filter(Call::forwarded).count();
    }

    /**
     * Every item of {@code table} as the engine holds it, by the value of its key {@code pk} (S), read from the
     * engine directly with consistent reads, past the proxy and its faults.
     */
    public Map<String, JsonNode> scan(String table) {
        Map<String, JsonNode> items = new TreeMap<>();
        JsonNode startKey = null;
        do {
            ObjectNode request = Json.object().put("TableName", table).put("ConsistentRead", true);
            if (startKey != null) {
                request.set("ExclusiveStartKey", startKey);
            }
            HttpResponse<byte[]> reply = sendToEngine("Scan", Json.bytes(request));
            String body = new String(reply.body(), StandardCharsets.UTF_8);
            if (reply.statusCode() != 200) {
                throw new IllegalStateException("Scan " + table + " answered " + reply.statusCode() + ": " + body);
            }
            JsonNode page = Json.parseObject(body).orElseThrow(() -> new IllegalStateException("Scan: " + body));
            page.path("Items").forEach(item -> items.put(
                    item.path(DynamoDbRecordStore.KEY_ATTRIBUTE).path("S").asText(), item));
            startKey = page.get("LastEvaluatedKey");
        } while (startKey != null);
        return Collections.unmodifiableMap(items);
    }

    /** Stops listening, then the executor and the engine's client; each wait is bounded. */
    @Override
    public void close() {
        // At once: the JDK server's wait for exchanges under way runs its full delay whenever a connection was
        // dropped without a reply or is closing just then, and a test closes the proxy after its calls are answered.
        server.stop(0);
        executor.shutdownNow();
        http.shutdownNow();
        try {
            executor.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            http.awaitTermination(STOP_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized Fault nextFault(String operation) {
        Queue<Fault> queue = queued.get(operation);
        Fault fault = queue == null ? null : queue.poll();
        if (fault != null) {
            return fault;
        }
        return standing != null ? standing : Fault.PASS;
    }

    private void handle(HttpExchange exchange) throws IOException {
        // Closing an exchange whose reply was never begun closes its connection: that is APPLY_THEN_NO_REPLY.
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String operation = operation(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            Fault fault = nextFault(operation);
            HttpResponse<byte[]> engineReply = fault.forwards() ? forward(exchange, body) : null;
            Reply reply = reply(fault, engineReply);
            // Journalled before the reply is sent: a client that has its reply (or its broken connection) finds the
            // call in the journal.
            journal.add(new Call(operation, fault, fault.forwards(), reply == null ? NO_STATUS : reply.status(),
                    new String(body, StandardCharsets.UTF_8),
                    engineReply == null ? NO_STATUS : engineReply.statusCode(),
                    engineReply == null ? null : new String(engineReply.body(), StandardCharsets.UTF_8)));
            if (reply != null) {
                send(exchange, reply);
            }
        }
    }

    private static String operation(String target) {
        return target == null ? "" : target.substring(target.lastIndexOf('.') + 1);
    }

    /** The request passed on to the engine; null when the engine did not answer in time (or at all). */
    private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(engine.resolve(exchange.getRequestURI()))
                .timeout(ENGINE_TIMEOUT)
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        Set<String> skipped = notPassedOn(exchange.getRequestHeaders().get("Connection"));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!skipped.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The headers not passed on: {@link #NOT_PASSED_ON} and those a {@code Connection} header names. */
    private static Set<String> notPassedOn(List<String> connection) {
        if (connection == null) {
            return NOT_PASSED_ON;
        }
        Set<String> names = new HashSet<>(NOT_PASSED_ON);
        connection.forEach(value -> {
            for (String name : value.split(",")) {
                names.add(name.strip().toLowerCase(Locale.ROOT));
            }
        });
        return names;
    }

    private static Reply reply(Fault fault, HttpResponse<byte[]> engineReply) {
        return switch (fault) {
            case PASS -> engineReply == null
                    ? new Reply(502, Map.of("Content-Type", List.of("text/plain; charset=utf-8")),
                            "the DynamoDB engine behind the proxy did not answer".getBytes(StandardCharsets.UTF_8))
                    : new Reply(engineReply.statusCode(), passedBack(engineReply), engineReply.body());
            case APPLY_THEN_500, REFUSE_500 -> Reply.json(500, INTERNAL_SERVER_ERROR);
            case APPLY_THEN_EMPTY_200, EMPTY_200_NOT_APPLIED -> Reply.json(200, "");
            case APPLY_THEN_GARBAGE_200 -> new Reply(200, Map.of("Content-Type", List.of("text/html")),
                    GARBAGE.getBytes(StandardCharsets.UTF_8));
            case THROTTLE -> Reply.json(400, THROTTLING);
            case APPLY_THEN_NO_REPLY -> null;
        };
    }

    /** The engine's reply headers that belong to the reply, not to its connection or its length. */
    private static Map<String, List<String>> passedBack(HttpResponse<byte[]> engineReply) {
        Set<String> skipped = notPassedOn(engineReply.headers().allValues("Connection"));
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        engineReply.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":") && !skipped.contains(name.toLowerCase(Locale.ROOT))) {
                headers.put(name, values);
            }
        });
        return headers;
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        reply.headers().forEach(headers::put);
        // -1: no body (Content-Length: 0); 0 would mean a chunked body of unknown length.
        exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
        exchange.getResponseBody().write(reply.body());
    }

    private HttpResponse<byte[]> sendToEngine(String operation, byte[] body) {
        SignedJsonRequest signed = SignedJsonRequest.sign(DynamoDbRecordStore.DYNAMODB, operation, engine, REGION,
                CREDENTIALS, body, Clock.systemUTC());
        HttpRequest.Builder request = HttpRequest.newBuilder(engine.resolve("/"))
                .timeout(ENGINE_TIMEOUT)
                .header("Content-Type", signed.contentType())
                .header("X-Amz-Target", signed.target())
                .header("X-Amz-Date", signed.date())
                .header("Authorization", signed.authorization())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signed.contentSha256() != null) {
            request.header("x-amz-content-sha256", signed.contentSha256());
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("the DynamoDB engine did not answer " + operation, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the table", e);
        }
    }
}
