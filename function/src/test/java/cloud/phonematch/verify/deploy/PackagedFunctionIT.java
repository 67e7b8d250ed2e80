package cloud.phonematch.verify.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cloud.phonematch.verify.support.ProjectRoot;

/**
 * After {@code package} (Failsafe): the packaged {@code target/function.zip} answers when run the way its Lambda
 * runtime runs it — unpacked as {@code /var/task} is, file modes included, against the benchmark's local Runtime API
 * with its fakes of the verification API and Secrets Manager ({@code bench/cold-start/runtime_api.py}). The other
 * tests run the function from Maven's class path; this one is what says that the zip itself still starts and
 * verifies.
 *
 * <ul>
 * <li>The JVM zip ({@code ./mvnw package}, runtime java21) runs under the AWS Lambda Java Runtime Interface Client,
 * as {@code RepackFunctionZip} merged it.</li>
 * <li>The native zip ({@code ./mvnw package -Dnative}, runtime provided.al2023) holds a {@code bootstrap} executable;
 * it is started directly, with no arguments and {@code AWS_LAMBDA_RUNTIME_API} pointing at the local Runtime API, as
 * that OS-only runtime starts it.</li>
 * </ul>
 * The zip's content chooses; {@code -Dpackaged-function.runtime=native} (or {@code jvm}) demands one, so that a run
 * meant for the native build (the native workflow, {@code .github/workflows/native.yml}) fails on a JVM zip instead of
 * passing on it.
 */
class PackagedFunctionIT {
    /** {@code native}, {@code jvm} or {@code auto} (the default: whatever the zip holds). */
    static final String RUNTIME_PROPERTY = "packaged-function.runtime";

    private static final Path ROOT = DeploymentFiles.ROOT;
    private static final Path ZIP = ProjectRoot.MODULE.resolve("target/function.zip");
    private static final String HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";

    @TempDir
    Path work;

    @Test
    void thePackagedZipVerifiesAsItsRuntimeRunsIt() throws Exception {
        Packaging packaging = Packaging.selected(ZIP);
        Path task = unpack(ZIP, work.resolve("task"));
        assertVerifies(packaging, task, packaging == Packaging.NATIVE ? bootstrapOf(task) : runtimeInterfaceClient());
    }

    /**
     * The native path of the test above, where no native executable can be built: the JVM zip with a stand-in
     * {@code bootstrap} (mode 0755, as Quarkus writes the native one) that starts the JVM build under the Runtime
     * Interface Client — what a bootstrap of Lambda's provided runtime may be. It exercises the unpacking with file
     * modes, the direct start and the provided runtime's environment; the native executable itself is run by the
     * native workflow, where this test is skipped.
     */
    @Test
    void aBootstrapInTheZipIsStartedDirectly() throws Exception {
        assumeTrue(Packaging.selected(ZIP) == Packaging.JVM, "the zip is the native build: the test above starts its bootstrap");
        Path zip = withStandInBootstrap(ZIP, work.resolve("stand-in.zip"));
        assertEquals(Packaging.NATIVE, Packaging.of(zip));
        Path task = unpack(zip, work.resolve("task"));
        assertVerifies(Packaging.NATIVE, task, bootstrapOf(task));
    }

    /** The two packages and the Lambda runtime each is deployed on (template.yaml's Runtime parameter). */
    enum Packaging {
        JVM("java21"), NATIVE("provided.al2023");

        final String lambdaRuntime;

        Packaging(String lambdaRuntime) {
            this.lambdaRuntime = lambdaRuntime;
        }

        static Packaging of(Path zip) throws IOException {
            try (ZipFile file = new ZipFile(zip.toFile())) {
                return file.getEntry("bootstrap") != null ? NATIVE : JVM;
            }
        }

        /** What the zip holds, unless {@value #RUNTIME_PROPERTY} demands one it does not hold. */
        static Packaging selected(Path zip) throws IOException {
            Packaging held = of(zip);
            String wanted = System.getProperty(RUNTIME_PROPERTY, "auto");
            if (wanted.equals("auto") || wanted.equals(held.name().toLowerCase())) {
                return held;
            }
            if (wanted.equals("native") || wanted.equals("jvm")) {
                fail(RUNTIME_PROPERTY + "=" + wanted + " but " + ROOT.relativize(zip) + " is the " + held.name().toLowerCase()
                        + " package (" + (held == NATIVE ? "it holds bootstrap" : "no bootstrap in it: build it with ./mvnw package -Dnative")
                        + ")");
            }
            throw new IllegalArgumentException(RUNTIME_PROPERTY + " is native, jvm or auto, not " + wanted);
        }
    }

    private void assertVerifies(Packaging packaging, Path task, List<String> function) throws Exception {
        Path event = Files.writeString(work.resolve("event.json"), "{\"name\":\"张三丰\",\"mobile\":\"13912345670\"}");
        Path out = work.resolve("result.json");
        Path functionLog = work.resolve("function.log");
        List<String> command = new ArrayList<>(List.of("python3", ROOT.resolve("bench/cold-start/runtime_api.py").toString(),
                "--label", "packaged", "--runtime", packaging.lambdaRuntime, "--task-root", task.toString(),
                "--event", event.toString(), "--expect", "\"status\":\"CONSISTENT\"", "--warm", "4",
                "--function-env", "VERIFY_API_BASE_URL={api}", "--function-env", "VERIFY_UPSTREAM=live",
                "--function-env", "VERIFY_TOKEN_SECRET_ID=bench-token",
                "--function-env", "AWS_ENDPOINT_URL_SECRETS_MANAGER={sm}",
                "--log", functionLog.toString(), "--out", out.toString()));
        if (packaging == Packaging.NATIVE) {
            // What template.yaml sets for the native runtime (TemplateEnvironmentTest holds it to that).
            command.addAll(List.of("--function-env", "DISABLE_SIGNAL_HANDLERS=true"));
        }
        command.add("--");
        command.addAll(function);

        Process driver = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("driver.log").toFile()).start();
        boolean ended = driver.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            driver.destroyForcibly();
        }
        String logs = Files.readString(work.resolve("driver.log"))
                + (Files.exists(functionLog) ? Files.readString(functionLog) : "");
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

    /** The provided runtime starts {@code /var/task/bootstrap} itself: it must have come out of the zip executable. */
    private static List<String> bootstrapOf(Path task) {
        Path bootstrap = task.resolve("bootstrap");
        assertTrue(Files.isRegularFile(bootstrap) && Files.isExecutable(bootstrap),
                "bootstrap is not an executable file once unpacked: Lambda could not start it");
        return List.of(bootstrap.toString());
    }

    /** How Lambda's java21 runtime starts the JVM zip: the Runtime Interface Client with the handler. */
    private static List<String> runtimeInterfaceClient() throws ClassNotFoundException, URISyntaxException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true"));
        if (Runtime.version().feature() >= 24) {
            // What Java 24+ needs to behave as Lambda's java21 does (see bench/cold-start/run.sh).
            command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED"));
        }
        command.addAll(List.of("-classpath", runtimeInterfaceClientClassPath(),
                "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", HANDLER));
        return command;
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

    /** A copy of the JVM zip with a {@code bootstrap} shell script that execs the JVM build under the RIC. */
    private static Path withStandInBootstrap(Path jvmZip, Path copy) throws Exception {
        Files.copy(jvmZip, copy);
        String exec = runtimeInterfaceClient().stream().map(PackagedFunctionIT::shellQuoted).collect(Collectors.joining(" "));
        try (FileSystem zip = FileSystems.newFileSystem(copy, Map.of("enablePosixFileAttributes", "true"))) {
            Path bootstrap = zip.getPath("/bootstrap");
            Files.writeString(bootstrap, "#!/bin/sh\n# Stand-in for the native executable (PackagedFunctionIT).\nexec " + exec + "\n");
            Files.setPosixFilePermissions(bootstrap, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return copy;
    }

    private static String shellQuoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** Unpacks as Lambda does into {@code /var/task}: every file with the mode the zip gives it. */
    private static Path unpack(Path zip, Path into) throws IOException {
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
            }
        }
        return into;
    }

    private static String tail(String text) {
        List<String> lines = text.lines().toList();
        return lines.subList(Math.max(0, lines.size() - 40), lines.size()).stream().collect(Collectors.joining("\n"));
    }
}
