package cloud.phonematch.verify.support;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.phonematch.verify.aws.AwsJsonClient;
import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.records.DynamoDbRecordStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * A real DynamoDB engine for tests: moto's server (moto 5.2.1, the application {@code moto_server} runs), started by
 * the first test class that extends with this, on a free port of 127.0.0.1 only, and stopped when the test run ends.
 * It answers one request at a time ({@code src/test/python/serial_moto_server.py} says why: moto's conditional writes
 * are not atomic across threads, DynamoDB's are). It runs under the Python the build found or installed for it
 * ({@code target/moto-python}, written by {@code src/build/java/MotoServerPython.java} before the tests; {@code python3}
 * when the tests run without that step). Its output goes to {@code target/moto-server.log}, not into the output the
 * log and privacy checks read.
 * <p>
 * When it cannot start, the first test class fails with one line saying why (the last line of the server's output,
 * e.g. {@code No module named 'moto'}) and every later one is aborted with the same line, without waiting again.
 * <p>
 * The endpoint reaches the tests through the system property {@link #ENDPOINT_PROPERTY}: a {@code @QuarkusTest} runs
 * in Quarkus's class loader, where the static state of this class would be another copy.
 */
public final class LocalDynamoDb implements BeforeAllCallback {
    public static final String ENDPOINT_PROPERTY = "test.records.dynamodb-endpoint";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final File LOG = new File("target/moto-server.log");
    private static final String SERVER = "src/test/python/serial_moto_server.py";

    private static final File PYTHON = new File("target/moto-python");
    private static final String INSTALL = "python3 -m pip install \"moto[server]==5.2.1\"";

    @Override
    public void beforeAll(ExtensionContext context) {
        Started started = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .computeIfAbsent(Started.class, type -> Started.start(), Started.class);
        if (started.engine() == null) {
            if (started.reported().getAndSet(true)) {
                throw new TestAbortedException(started.failure());
            }
            throw new IllegalStateException(started.failure());
        }
        System.setProperty(ENDPOINT_PROPERTY, started.engine().endpoint().toString());
    }

    /** A client of the local engine (region cn-north-1, throwaway credentials). */
    public static AwsJsonClient client(Duration timeout) {
        String endpoint = System.getProperty(ENDPOINT_PROPERTY);
        if (endpoint == null) {
            throw new IllegalStateException("the local DynamoDB is not running: extend the test class with "
                    + LocalDynamoDb.class.getSimpleName());
        }
        return AwsJsonClient.of(DynamoDbRecordStore.DYNAMODB, URI.create(endpoint), Region.CN_NORTH_1,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCALTEST", "local-test-secret")),
                timeout, Clock.systemUTC());
    }

    /** Creates a records table as template.yaml does (key {@code pk} (S), on-demand), through the engine's API. */
    public static void createTable(String table) {
        // A client of its own with a generous timeout: this is set-up, not the code under test, and the engine can
        // take seconds to create a table on a loaded machine (the callers' clients time out after 2 s).
        AwsJsonClient client = client(Duration.ofSeconds(30));
        ObjectNode request = Json.object().put("TableName", table).put("BillingMode", "PAY_PER_REQUEST");
        request.putArray("AttributeDefinitions").addObject()
                .put("AttributeName", DynamoDbRecordStore.KEY_ATTRIBUTE).put("AttributeType", "S");
        request.putArray("KeySchema").addObject()
                .put("AttributeName", DynamoDbRecordStore.KEY_ATTRIBUTE).put("KeyType", "HASH");
        AwsJsonClient.Reply reply = client.call("CreateTable", Json.bytes(request), Duration.ofSeconds(30));
        if (reply.status() != 200) {
            throw new IllegalStateException("CreateTable " + table + " answered " + reply.status() + ": "
                    + reply.body());
        }
    }

    /** The engine, or why it could not start; the test run's root store closes it at the end of the run. */
    record Started(Engine engine, String failure, AtomicBoolean reported) implements AutoCloseable {
        static Started start() {
            try {
                return new Started(Engine.start(), null, new AtomicBoolean());
            } catch (IllegalStateException e) {
                return new Started(null, e.getMessage(), new AtomicBoolean());
            }
        }

        @Override
        public void close() {
            if (engine != null) {
                engine.close();
            }
        }
    }

    /** The running engine. */
    static final class Engine implements AutoCloseable {
        private final Process process;
        private final int port;

        private Engine(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        URI endpoint() {
            return URI.create("http://127.0.0.1:" + port);
        }

        static Engine start() {
            String python = python();
            String died = null;
            // A free port can be taken by someone else between asking and binding: three tries.
            for (int attempt = 1; attempt <= 3; attempt++) {
                int port = freePort();
                Process process;
                long logged = LOG.length();
                try {
                    LOG.getParentFile().mkdirs();
                    process = new ProcessBuilder(python, SERVER, "127.0.0.1", Integer.toString(port))
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(LOG))
                            .start();
                } catch (IOException e) {
                    throw new IllegalStateException("moto's server cannot start: " + python + " cannot be run ("
                            + e.getMessage() + "); the DynamoDB tests need Python 3 with moto: " + INSTALL);
                }
                if (listening(process, port)) {
                    return new Engine(process, port);
                }
                stop(process);
                died = lastLine(logged);
                if (!died.contains("Address already in use")) {
                    break;
                }
            }
            throw new IllegalStateException("moto's server did not start under " + python + " ("
                    + (died.isEmpty() ? "no answer within " + START_TIMEOUT.toSeconds() + " s" : died) + "; see " + LOG
                    + "); the DynamoDB tests need moto: " + INSTALL);
        }

        /** The Python the build chose for the server ({@code target/moto-python}), or {@code python3}. */
        private static String python() {
            try {
                return PYTHON.isFile() ? Files.readString(PYTHON.toPath()).strip() : "python3";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The last line the server wrote to the log after {@code from} (its first byte); empty if none. */
        private static String lastLine(long from) {
            try (RandomAccessFile log = new RandomAccessFile(LOG, "r")) {
                byte[] written = new byte[(int) Math.max(0, log.length() - from)];
                log.seek(from);
                log.readFully(written);
                List<String> lines = new String(written, StandardCharsets.UTF_8).lines()
                        .filter(line -> !line.isBlank()).toList();
                return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
            } catch (IOException e) {
                return "";
            }
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Waits, boundedly, until the engine accepts connections; false if it died or took too long. */
        private static boolean listening(Process process, int port) {
            long end = System.nanoTime() + START_TIMEOUT.toNanos();
            while (System.nanoTime() < end && process.isAlive()) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                    return true;
                } catch (IOException notYet) {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
            }
            return false;
        }

        private static void stop(Process process) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            try {
                if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }

        @Override
        public void close() {
            stop(process);
        }
    }
}
