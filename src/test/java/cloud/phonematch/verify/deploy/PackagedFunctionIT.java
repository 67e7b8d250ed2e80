package cloud.phonematch.verify.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * After {@code package} (Failsafe): the packaged {@code target/function.zip} answers when run the way Lambda's Java
 * runtime runs it — unpacked as {@code /var/task} is, under the AWS Lambda Java Runtime Interface Client, against
 * the benchmark's local Runtime API with its fakes of the verification API and Secrets Manager
 * ({@code bench/cold-start/runtime_api.py}). The other tests run the function from Maven's class path; this one is
 * what says that the zip itself, as {@code RepackFunctionZip} merged it, still starts and verifies.
 */
class PackagedFunctionIT {
    private static final Path ROOT = DeploymentFilesTest.ROOT;
    private static final String HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";

    @TempDir
    Path work;

    @Test
    void thePackagedZipVerifiesUnderTheRuntimeInterfaceClient() throws Exception {
        Path task = unpack(ROOT.resolve("target/function.zip"), work.resolve("task"));
        Path event = Files.writeString(work.resolve("event.json"), "{\"name\":\"张三丰\",\"mobile\":\"13912345670\"}");
        Path out = work.resolve("result.json");
        List<String> command = new ArrayList<>(List.of("python3", ROOT.resolve("bench/cold-start/runtime_api.py").toString(),
                "--label", "packaged", "--task-root", task.toString(), "--event", event.toString(),
                "--expect", "\"status\":\"CONSISTENT\"", "--warm", "4",
                "--function-env", "VERIFY_API_BASE_URL={api}", "--function-env", "VERIFY_UPSTREAM=live",
                "--function-env", "VERIFY_TOKEN_SECRET_ID=bench-token",
                "--function-env", "AWS_ENDPOINT_URL_SECRETS_MANAGER={sm}",
                "--log", work.resolve("jvm.log").toString(), "--out", out.toString(), "--"));
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true"));
        if (Runtime.version().feature() >= 24) {
            // What Java 24+ needs to behave as Lambda's java21 does (see bench/cold-start/run.sh).
            command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED"));
        }
        command.addAll(List.of("-classpath", runtimeInterfaceClientClassPath(),
                "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", HANDLER));

        Process driver = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("driver.log").toFile()).start();
        boolean ended = driver.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            driver.destroyForcibly();
        }
        String logs = Files.readString(work.resolve("driver.log"))
                + (Files.exists(work.resolve("jvm.log")) ? Files.readString(work.resolve("jvm.log")) : "");
        assertTrue(ended && driver.exitValue() == 0, "the driver failed:\n" + tail(logs));

        JsonNode result = new ObjectMapper().readTree(out.toFile());
        assertTrue(result.get("ok").asBoolean(), result.toString());
        assertEquals(4, result.get("warm_count").asInt());
        JsonNode first = new ObjectMapper().readTree(result.get("first_answer").asText());
        assertEquals("CONSISTENT", first.get("status").asText());
        assertEquals("139****5670", first.get("mobile").asText());
        assertEquals("China Mobile", first.get("carrier").asText());
        // From the fakes' own counts: one API call per invocation, the token read once and cached.
        assertEquals(5, result.get("api_calls").asInt());
        assertEquals(5, result.get("api_calls_with_token").asInt());
        assertEquals(1, result.get("secrets_manager_calls").asInt());
    }

    /** The Runtime Interface Client and what it needs, from the test class path (a test dependency). */
    private static String runtimeInterfaceClientClassPath() throws ClassNotFoundException, URISyntaxException {
        List<String> jars = new ArrayList<>();
        for (String type : List.of("com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
                "com.amazonaws.services.lambda.runtime.Context",
                "com.amazonaws.services.lambda.runtime.serialization.PojoSerializer",
                "software.amazon.awssdk.annotations.SdkInternalApi",
                "software.amazon.awssdk.utilslite.SdkInternalThreadLocal")) {
            jars.add(Path.of(Class.forName(type).getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        return String.join(File.pathSeparator, jars);
    }

    private static Path unpack(Path zip, Path into) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : file.stream().toList()) {
                Path target = into.resolve(entry.getName()).normalize();
                assertTrue(target.startsWith(into), entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = file.getInputStream(entry)) {
                    Files.copy(in, target);
                }
            }
        }
        return into;
    }

    private static String tail(String text) {
        List<String> lines = text.lines().toList();
        return lines.subList(Math.max(0, lines.size() - 40), lines.size()).stream().collect(Collectors.joining("\n"));
    }
}
