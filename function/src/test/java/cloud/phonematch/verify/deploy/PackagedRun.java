package cloud.phonematch.verify.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A packaged function run as Lambda runs it, for the tests of the packages: the zip unpacked as {@code /var/task} is
 * (modes and modification times as the entries give them), then started against the benchmark's local Runtime API and
 * its fakes ({@code bench/cold-start/runtime_api.py}), which count what the function asked of them.
 */
final class PackagedRun {
    private static final Path DRIVER = DeploymentFiles.ROOT.resolve("bench/cold-start/runtime_api.py");

    /** What a run left: the driver's figures and counts, and everything the function process wrote. */
    record Outcome(JsonNode result, String functionLog) {
        JsonNode firstAnswer() throws IOException {
            return new ObjectMapper().readTree(result.get("first_answer").asText());
        }
    }

    private PackagedRun() {
    }

    /** Unpacks as Lambda does into {@code /var/task}: every file with the mode and the time the zip gives it. */
    static Path unpack(Path zip, Path into) throws IOException {
        try (FileSystem archive = FileSystems.newFileSystem(zip, Map.of("enablePosixFileAttributes", "true"));
                Stream<Path> entries = Files.walk(archive.getPath("/"))) {
            Path top = archive.getPath("/");
            for (Path entry : entries.toList()) {
                Path target = into.resolve(top.relativize(entry).toString()).normalize();
                assertTrue(target.startsWith(into), entry.toString());
                if (Files.isDirectory(entry)) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                Files.copy(entry, target);
                Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(entry));
                Files.setLastModifiedTime(target, Files.getLastModifiedTime(entry));
            }
        }
        return into;
    }

    /**
     * Starts {@code function} in {@code task} under the driver, for {@code 1 + warm} invocations of the placeholder
     * event in live mode, each answer to contain {@code "status":"CONSISTENT"}, and asserts that the driver succeeded.
     *
     * @param driverOptions more options for the driver (e.g. {@code --tls-cert}, {@code --function-env})
     */
    static Outcome verify(Path work, String lambdaRuntime, Path task, int warm, List<String> driverOptions,
            List<String> function) throws IOException, InterruptedException {
        Files.createDirectories(work);
        Path event = Files.writeString(work.resolve("event.json"), "{\"name\":\"张三丰\",\"mobile\":\"13912345670\"}");
        Path out = work.resolve("result.json");
        Path functionLog = work.resolve("function.log");
        Path driverLog = work.resolve("driver.log");
        List<String> command = new ArrayList<>(List.of("python3", DRIVER.toString(),
                "--label", "packaged", "--runtime", lambdaRuntime, "--task-root", task.toString(),
                "--event", event.toString(), "--expect", "\"status\":\"CONSISTENT\"", "--warm", String.valueOf(warm),
                "--function-env", "VERIFY_API_BASE_URL={api}", "--function-env", "VERIFY_UPSTREAM=live",
                "--function-env", "VERIFY_TOKEN_SECRET_ID=bench-token",
                "--function-env", "AWS_ENDPOINT_URL_SECRETS_MANAGER={sm}",
                "--log", functionLog.toString(), "--out", out.toString()));
        command.addAll(driverOptions);
        command.add("--");
        command.addAll(function);

        Process driver = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(driverLog.toFile()).start();
        boolean ended = driver.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            driver.destroyForcibly();
        }
        String log = Files.exists(functionLog) ? Files.readString(functionLog) : "";
        assertTrue(ended && driver.exitValue() == 0, "the driver failed:\n" + tail(Files.readString(driverLog) + log));
        JsonNode result = new ObjectMapper().readTree(out.toFile());
        assertTrue(result.get("ok").asBoolean(), result.toString());
        return new Outcome(result, log);
    }

    static String tail(String text) {
        List<String> lines = text.lines().toList();
        return lines.subList(Math.max(0, lines.size() - 40), lines.size()).stream().collect(Collectors.joining("\n"));
    }
}
