package cloud.phonematch.verify.localgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cloud.phonematch.verify.handler.VerificationHandler;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.ProjectRoot;
import cloud.phonematch.verify.support.SandboxUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.vertx.core.Vertx;

/**
 * The local run as the documents show it, held true: every command line of the README's one request and of
 * docs/local-run.md is run as written (through
 * {@code bash}, with {@code curl}) against the function in dev mode's sandbox — the local HTTP API in place of
 * {@code localhost:3000}, the test's mock Lambda event server in place of {@code localhost:8080} — and its output
 * compared with the output shown ({@code …} matching what differs on every call). A {@code ./mvnw quarkus:dev -D…}
 * line starts the local HTTP API afresh with those properties.
 */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
@TestProfile(SandboxUpstream.class)
class LocalGatewayReadmeTest {
    private static final Path README = ProjectRoot.PATH.resolve("README.md");
    private static final String README_SECTION = "## One request";
    private static final Path LOCAL_RUN = ProjectRoot.PATH.resolve("docs/local-run.md");

    @Inject
    Vertx vertx;

    @Inject
    VerificationHandler handler;

    @Test
    void everyCommandOfTheLocalRunAnswersAsShown() throws Exception {
        List<ReadmeConsole.Command> commands = new ArrayList<>(
                ReadmeConsole.commands(Files.readString(README), README_SECTION));
        assertEquals(1, commands.size(), "the README shows one request");
        commands.addAll(ReadmeConsole.commands(Files.readString(LOCAL_RUN)));
        assertTrue(commands.size() >= 13, "docs/local-run.md shows the local run's commands: " + commands.size());
        List<String> failures = new ArrayList<>();
        Map<String, String> properties = new HashMap<>();
        RunningGateway gateway = RunningGateway.start(vertx, handler, RunningGateway.settings(properties));
        try {
            for (int i = 0; i < commands.size(); i++) {
                ReadmeConsole.Command command = commands.get(i);
                if (command.startsDevMode()) {
                    assertTrue(command.shown().isEmpty(), "dev mode's own output is not shown");
                    properties = command.devModeProperties();
                    gateway.close();
                    gateway = RunningGateway.start(vertx, handler, RunningGateway.settings(properties));
                    continue;
                }
                if (command.line().contains("uniq -c")) {
                    // A burst, on a bucket that starts full and does not refill: what docs/local-run.md shows for requests
                    // arriving within a tenth of a second. (Thirty curl processes take longer than that to start on a
                    // busy build machine, and each further tenth of a second would let one more through.)
                    Map<String, String> noRefill = new HashMap<>(properties);
                    noRefill.put("local-gateway.throttle-rate-limit", "0");
                    gateway.close();
                    gateway = RunningGateway.start(vertx, handler, RunningGateway.settings(noRefill));
                }
                String printed = run(command.line(), gateway.port());
                for (String problem : ShownOutput.mismatches(command.shown(), printed)) {
                    failures.add((i == 0 ? "the README's request" : "command " + i + " of docs/local-run.md") + ": " + problem);
                }
            }
        } finally {
            gateway.close();
        }
        assertTrue(failures.isEmpty(), String.join("\n\n", failures));
    }

    /** The {@code local-gateway.*} settings docs/local-run.md names are exactly those the local HTTP API reads. */
    @Test
    void namesExactlyTheSettingsTheLocalHttpApiReads() throws IOException {
        Set<String> read = new TreeSet<>();
        LocalGatewaySettings.from(name -> {
            read.add(name);
            return Optional.empty();
        });
        Set<String> documented = new TreeSet<>();
        Matcher named = Pattern.compile("`(local-gateway\\.[a-z-]+)`").matcher(Files.readString(LOCAL_RUN));
        while (named.find()) {
            documented.add(named.group(1));
        }
        assertEquals(read, documented);
    }

    /** Runs the command line in bash from the project's directory, aimed at the test's servers; its standard output. */
    private static String run(String line, int gatewayPort) throws IOException, InterruptedException {
        String aimed = line.replace("http://localhost:3000", "http://127.0.0.1:" + gatewayPort)
                .replace("http://localhost:8080", "http://127.0.0.1:" + RestAssured.port);
        assertTrue(!aimed.equals(line), "a documented command aimed at neither localhost:3000 nor localhost:8080");
        Process process = new ProcessBuilder("bash", "-c", aimed).directory(ProjectRoot.PATH.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("a documented command did not end within 60 s");
        }
        return new String(output, StandardCharsets.UTF_8);
    }
}
