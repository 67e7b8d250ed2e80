package cloud.phonematch.verify.localgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Dev mode stops at its start, with one line naming the port and the setting that chooses another, when a port it
 * would listen on is taken (dev mode itself would wait silently). The whole path, from dev mode's configuration to
 * the exit status, runs in a child JVM here; {@code .ci/dev-mode} runs it under {@code ./mvnw quarkus:dev}.
 */
class DevPortsCheckTest {
    private static final String MOCK_PORT = "quarkus.lambda.mock-event-server.dev-port";

    private static List<String> problems(Map<String, String> properties) {
        return DevPortsCheck.problems(name -> Optional.ofNullable(properties.get(name)));
    }

    /** Settings with both servers on the given ports. */
    private static Map<String, String> ports(int mock, int gateway) {
        Map<String, String> properties = new HashMap<>();
        properties.put(MOCK_PORT, Integer.toString(mock));
        properties.put("local-gateway.port", Integer.toString(gateway));
        return properties;
    }

    /** A port taken on every address, as another program (or another dev mode) would take it. */
    private static ServerSocket taken() throws IOException {
        return new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"));
    }

    @Test
    void startsWhenThePortsAreFree() throws IOException {
        int mock;
        int gateway;
        try (ServerSocket a = taken(); ServerSocket b = taken()) {
            mock = a.getLocalPort();
            gateway = b.getLocalPort();
        }

        assertEquals(List.of(), problems(ports(mock, gateway)));
        assertEquals(List.of(), problems(ports(0, 0)), "0: any free port, nothing to try");
    }

    @Test
    void aTakenMockEventServerPortStopsItWithOneLineNamingThePortAndTheSetting() throws IOException {
        try (ServerSocket held = taken()) {
            List<String> problems = problems(ports(held.getLocalPort(), 0));

            assertEquals(List.of("Dev mode cannot start: port " + held.getLocalPort() + ", where the mock Lambda event"
                    + " server listens, is in use. Free it or choose another port:"
                    + " -Dquarkus.lambda.mock-event-server.dev-port=<port> (0: any free port)"), problems);
        }
    }

    @Test
    void aTakenLocalHttpApiPortStopsItWithOneLineNamingThePortAndTheSettings() throws IOException {
        try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<String> problems = problems(ports(0, held.getLocalPort()));

            assertEquals(List.of("Dev mode cannot start: port " + held.getLocalPort() + " of 127.0.0.1, where the local"
                    + " HTTP API listens, is in use. Free it or choose another port: -Dlocal-gateway.port=<port>"
                    + " (0: any free port), or turn the local HTTP API off: -Dlocal-gateway.enabled=false"), problems);
        }
    }

    @Test
    void theDefaultsAreTried() {
        // Whether 8080 and 3000 are free on this machine is not this test's business: only that they are the ones tried.
        List<String> problems = problems(Map.of());
        for (String problem : problems) {
            assertTrue(problem.contains("port 8080,") || problem.contains("port 3000 of 127.0.0.1,"), problem);
        }
    }

    @Test
    void aServerThatIsOffOrOnAnyFreePortIsNotTried() throws IOException {
        try (ServerSocket held = taken()) {
            int port = held.getLocalPort();
            Map<String, String> off = ports(port, port);
            off.put("quarkus.lambda.mock-event-server.enabled", "false");
            off.put("local-gateway.enabled", "false");

            assertEquals(List.of(), problems(off));
        }
    }

    @Test
    void bothServersOnOnePortIsRefused() throws IOException {
        int port;
        try (ServerSocket free = taken()) {
            port = free.getLocalPort();
        }

        List<String> problems = problems(ports(port, port));

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("Dev mode cannot start: the local HTTP API and the mock Lambda event"
                + " server are both set to port " + port), problems.get(0));
        assertTrue(problems.get(0).contains("-Dlocal-gateway.port=<port>"), problems.get(0));
    }

    @Test
    void settingsThatAreNotValidStopItWithTheirOwnLine() {
        assertEquals(List.of("Dev mode cannot start: quarkus.lambda.mock-event-server.dev-port must be a port, 0-65535"
                + " (0: any free port), not 'eighty'"), problems(Map.of(MOCK_PORT, "eighty", "local-gateway.port", "0")));
        assertEquals(List.of("Dev mode cannot start: local-gateway.port must be 0-65535 (0: any free port), not 70000"),
                problems(Map.of(MOCK_PORT, "0", "local-gateway.port", "70000")));
    }

    @Test
    void anAddressThatCannotBeListenedOnIsSaidSo() {
        Optional<String> why = DevPortsCheck.unusable(InetSocketAddress.createUnresolved("no-such-host.invalid", 3000));

        assertEquals(Optional.of("cannot be listened on (no-such-host.invalid is not a known host)"), why);
    }

    /**
     * Dev mode's configuration, read as dev mode reads it at its start (the dev profile, system properties, and the
     * factories that {@code META-INF/services} registers): in a child JVM, since the check ends the process.
     */
    @Test
    void devModesConfigurationEndsTheProcessWithStatus1AndOnlyThatLine() throws Exception {
        try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Child dev = Child.run("dev", "-D" + MOCK_PORT + "=0", "-Dlocal-gateway.port=" + held.getLocalPort());

            assertEquals(1, dev.exit(), dev.toString());
            assertEquals("", dev.stdout(), dev.toString());
            assertEquals(List.of("Dev mode cannot start: port " + held.getLocalPort() + " of 127.0.0.1, where the local"
                    + " HTTP API listens, is in use. Free it or choose another port: -Dlocal-gateway.port=<port>"
                    + " (0: any free port), or turn the local HTTP API off: -Dlocal-gateway.enabled=false"),
                    dev.stderr().lines().toList(), dev.toString());

            Child test = Child.run("test", "-D" + MOCK_PORT + "=0", "-Dlocal-gateway.port=" + held.getLocalPort());

            assertEquals(0, test.exit(), "tests (and continuous testing) are not dev mode's start: " + test);
            assertEquals("read", test.stdout().strip(), test.toString());
        }
    }

    /** Builds the configuration with the profile in its first argument, then prints "read". */
    public static final class ReadConfig {
        public static void main(String[] args) {
            new SmallRyeConfigBuilder().withProfile(args[0]).addDefaultSources().addDiscoveredSources().build();
            System.out.println("read");
        }
    }

    private record Child(int exit, String stdout, String stderr) {
        static Child run(String profile, String... properties) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path")));
            command.addAll(List.of(properties));
            command.addAll(List.of(ReadConfig.class.getName(), profile));
            Path errors = Files.createTempFile("dev-ports-check", ".err");
            try {
                Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
                process.getOutputStream().close();
                String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("the child JVM did not end within 60 s");
                }
                return new Child(process.exitValue(), out, Files.readString(errors));
            } finally {
                Files.deleteIfExists(errors);
            }
        }
    }
}
