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
import java.util.stream.Collectors;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.support.ProjectRoot;
import cloud.phonematch.verify.support.ThrowawayTls;

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
        Path task = PackagedRun.unpack(ZIP, work.resolve("task"));
        assertVerifies(packaging, task, packaging == Packaging.NATIVE ? bootstrapOf(task) : runtimeInterfaceClient());
    }

    /**
     * The same over HTTPS, as every call in production is: the fakes of the API and Secrets Manager serve a throwaway
     * certificate, which only the function's JVM (or native executable) is told to trust. The loopback tests above and
     * the in-process tests speak plain HTTP, so only this one runs the packaged TLS code (Netty's SslHandler and what
     * it links, the JDK's TLS); a class missing from the package there would fail every call in production.
     */
    @Test
    void thePackagedZipVerifiesOverHttps() throws Exception {
        Packaging packaging = Packaging.selected(ZIP);
        Path task = PackagedRun.unpack(ZIP, work.resolve("task"));
        ThrowawayTls tls = ThrowawayTls.in(work.resolve("tls"));
        List<String> function = new ArrayList<>();
        if (packaging == Packaging.NATIVE) {
            // A native executable takes system properties as arguments.
            function.addAll(bootstrapOf(task));
            function.addAll(tls.trustOptions());
        } else {
            List<String> ric = runtimeInterfaceClient();
            function.add(ric.get(0));
            function.addAll(tls.trustOptions());
            function.addAll(ric.subList(1, ric.size()));
        }
        assertVerifies(packaging, task, tls.driverOptions(), function);
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
        Path task = PackagedRun.unpack(zip, work.resolve("task"));
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
        assertVerifies(packaging, task, List.of(), function);
    }

    private void assertVerifies(Packaging packaging, Path task, List<String> driverOptions, List<String> function)
            throws Exception {
        List<String> options = new ArrayList<>(driverOptions);
        if (packaging == Packaging.NATIVE) {
            // What template.yaml sets for the native runtime (TemplateEnvironmentTest holds it to that).
            options.addAll(List.of("--function-env", "DISABLE_SIGNAL_HANDLERS=true"));
        }
        PackagedRun.Outcome run = PackagedRun.verify(work.resolve("run"), packaging.lambdaRuntime, task, 4, options,
                function);
        JsonNode result = run.result();
        assertEquals(4, result.get("warm_count").asInt());
        JsonNode first = run.firstAnswer();
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
}
