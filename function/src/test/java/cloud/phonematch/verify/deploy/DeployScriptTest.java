package cloud.phonematch.verify.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.phonematch.verify.support.ProjectRoot;

/**
 * bin/check-function-zip and bin/deploy: a zip that does not fit the environment's Runtime and Architecture never
 * reaches {@code sam deploy}. The zips are made here with the shapes the checks read (a native zip's
 * {@code bootstrap} ELF header and executable bit, a JVM zip's {@code lib/*.jar}); {@code sam} and {@code ./mvnw}
 * are stand-ins that write down how they were called.
 */
class DeployScriptTest {
    static final int X86_64 = 62;
    static final int AARCH64 = 183;

    @TempDir
    static Path zips;
    static Path nativeX86;
    static Path nativeArm;
    static Path jvm;

    @TempDir
    Path project;

    @BeforeAll
    static void makeZips() throws Exception {
        nativeX86 = zip("native-x86_64.zip", "bootstrap", elf(X86_64), "rwxr-xr-x");
        nativeArm = zip("native-arm64.zip", "bootstrap", elf(AARCH64), "rwxr-xr-x");
        jvm = zip("jvm.zip", "lib/function-dependencies.jar", new byte[] {'P', 'K', 5, 6}, "rw-r--r--");
    }

    // ------------------------------------------------------------------ bin/check-function-zip

    @Test
    void aNativeZipFitsOnlyTheNativeRuntimeOnTheMachineTypeItWasBuiltFor() throws Exception {
        assertEquals(0, check("native", "x86_64", nativeX86).exit());
        assertEquals(0, check("native", "arm64", nativeArm).exit());

        Run wrongArchitecture = check("native", "arm64", nativeX86);
        assertEquals(1, wrongArchitecture.exit());
        assertTrue(wrongArchitecture.output().contains("its bootstrap is built for x86_64"), wrongArchitecture.output());

        Run wrongRuntime = check("jvm", "x86_64", nativeX86);
        assertEquals(1, wrongRuntime.exit());
        assertTrue(wrongRuntime.output().contains("it is a native build"), wrongRuntime.output());
    }

    @Test
    void aJvmZipFitsTheJvmRuntimeOnEitherArchitectureAndNeverTheNativeOne() throws Exception {
        assertEquals(0, check("jvm", "x86_64", jvm).exit());
        assertEquals(0, check("jvm", "arm64", jvm).exit());

        Run onProvided = check("native", "x86_64", jvm);
        assertEquals(1, onProvided.exit());
        assertTrue(onProvided.output().contains("it is a jvm build; build it with ./mvnw package -Dnative"),
                onProvided.output());
    }

    @Test
    void aBootstrapLambdaCannotRunIsRefused() throws Exception {
        Run notExecutable = check("native", "x86_64", zip("plain.zip", "bootstrap", elf(X86_64), "rw-r--r--"));
        assertEquals(1, notExecutable.exit());
        assertTrue(notExecutable.output().contains("not marked executable"), notExecutable.output());

        Run script = check("native", "x86_64",
                zip("script.zip", "bootstrap", "#!/bin/sh\nexec java -jar x\n".getBytes(StandardCharsets.UTF_8),
                        "rwxr-xr-x"));
        assertEquals(1, script.exit());
        assertTrue(script.output().contains("no ELF header"), script.output());

        Run other = check("native", "x86_64", zip("riscv.zip", "bootstrap", elf(243), "rwxr-xr-x"));
        assertEquals(1, other.exit());
        assertTrue(other.output().contains("ELF machine type 243"), other.output());

        Run neither = check("jvm", "x86_64", zip("empty.zip", "README", new byte[] {1}, "rw-r--r--"));
        assertEquals(1, neither.exit());
        assertTrue(neither.output().contains("neither a native build"), neither.output());

        assertEquals(1, check("jvm", "x86_64", zips.resolve("absent.zip")).exit());
        assertEquals(2, check("graalvm", "x86_64", jvm).exit());
        assertEquals(2, check("jvm", "amd64", jvm).exit());
    }

    // ------------------------------------------------------------------ bin/deploy

    @Test
    void theDefaultEnvironmentIsTheJvmBuildAnyMachineMakes() throws Exception {
        copyProject();
        Run run = deploy();
        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("[default] deploys Runtime=jvm Architecture=arm64"), run.output());
        assertEquals(List.of("-B package -DskipTests"), calls("mvnw"), "no GraalVM, no container");
        assertEquals(List.of("deploy --config-env default"), calls("sam"));
    }

    @Test
    void aPrebuiltZipIsCheckedAgainstTheEnvironmentBeforeSamSeesIt() throws Exception {
        copyProject();
        Files.writeString(project.resolve("samconfig.toml"), """
                version = 0.1
                [native.deploy.parameters]
                parameter_overrides = "Upstream=sandbox Runtime=native Architecture=x86_64"
                """);
        Run refused = deploy("--config-env", "native", "--zip", jvm.toString());
        assertEquals(1, refused.exit(), refused.output());
        assertTrue(refused.output().contains("[native] deploys Runtime=native Architecture=x86_64"), refused.output());
        assertEquals(List.of(), calls("sam"), "nothing is deployed");
        assertFalse(Files.exists(project.resolve("function/target/function.zip")), "nothing is put where sam would take it");

        assertEquals(1, deploy("--config-env", "native", "--zip", nativeArm.toString()).exit());
        assertEquals(List.of(), calls("sam"));

        Run deployed = deploy("--config-env", "native", "--zip", nativeX86.toString(), "--no-execute-changeset");
        assertEquals(0, deployed.exit(), deployed.output());
        assertEquals(List.of("deploy --config-env native --no-execute-changeset"), calls("sam"));
        assertArrayEquals(Files.readAllBytes(nativeX86), Files.readAllBytes(project.resolve("function/target/function.zip")));
        assertEquals(List.of(), calls("mvnw"), "a given zip is not rebuilt");
    }

    @Test
    void theJvmEnvironmentIsBuiltWithMavenThenChecked() throws Exception {
        copyProject();
        Run run = deploy("--config-env", "sandbox");
        assertEquals(0, run.exit(), run.output());
        assertEquals(List.of("-B package -DskipTests"), calls("mvnw"));
        assertEquals(List.of("deploy --config-env sandbox"), calls("sam"));
    }

    @Test
    void aNativeBuildForAnotherMachineTypeIsRefusedBeforeBuilding() throws Exception {
        copyProject();
        String other = hostArchitecture().equals("arm64") ? "x86_64" : "arm64";
        Files.writeString(project.resolve("samconfig.toml"), """
                version = 0.1
                [other.deploy.parameters]
                parameter_overrides = "Upstream=sandbox Runtime=native Architecture=%s"
                [unnamed.deploy.parameters]
                parameter_overrides = "Upstream=sandbox"
                """.formatted(other));
        Run run = deploy("--config-env", "other");
        assertEquals(1, run.exit(), run.output());
        assertTrue(run.output().contains("cannot be built on this " + hostArchitecture() + " machine"), run.output());
        assertTrue(run.output().contains("--zip"), "says how to deploy the other architecture: " + run.output());
        assertEquals(List.of(), calls("mvnw"));
        assertEquals(List.of(), calls("sam"));

        Run unnamed = deploy("--config-env", "unnamed");
        assertEquals(1, unnamed.exit());
        assertTrue(unnamed.output().contains("must name Runtime and Architecture"), unnamed.output());
        Run missing = deploy("--config-env", "nowhere");
        assertEquals(1, missing.exit());
        assertTrue(missing.output().contains("no environment [nowhere]"), missing.output());
        assertEquals(List.of(), calls("sam"));
    }

    @Test
    void guidedIsRefusedWithWhatToDoInstead() throws Exception {
        copyProject();
        Run run = deploy("--guided");
        assertEquals(2, run.exit());
        assertTrue(run.output().contains("sam deploy --guided --config-env default"), run.output());
        assertEquals(List.of(), calls("sam"));
    }

    // ------------------------------------------------------------------ helpers

    record Run(int exit, String output) {
    }

    static Run check(String runtime, String architecture, Path zip) throws Exception {
        return run(ProjectRoot.PATH.toAbsolutePath(), Map.of(), ProjectRoot.PATH.resolve("bin/check-function-zip")
                .toAbsolutePath().toString(), runtime, architecture, zip.toString());
    }

    /** bin/deploy in a copy of the project whose ./mvnw and PATH's sam are stand-ins. */
    Run deploy(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(project.resolve("bin/deploy").toString()));
        command.addAll(List.of(args));
        Path tools = project.resolve("tools");
        return run(project, Map.of("PATH", tools + ":" + System.getenv("PATH")), command.toArray(String[]::new));
    }

    void copyProject() throws IOException {
        Path bin = Files.createDirectories(project.resolve("bin"));
        for (String script : List.of("deploy", "check-function-zip")) {
            Files.copy(ProjectRoot.PATH.resolve("bin").resolve(script), bin.resolve(script));
            executable(bin.resolve(script));
        }
        Files.copy(ProjectRoot.PATH.resolve("samconfig.toml"), project.resolve("samconfig.toml"));
        Path tools = Files.createDirectories(project.resolve("tools"));
        // sam: writes down its arguments. ./mvnw: writes down its arguments and leaves a JVM zip, as package does.
        Files.writeString(tools.resolve("sam"), "#!/bin/sh\necho \"$*\" >> \"" + project.resolve("sam.calls") + "\"\n");
        executable(tools.resolve("sam"));
        Files.writeString(project.resolve("mvnw"), "#!/bin/sh\necho \"$*\" >> \"" + project.resolve("mvnw.calls")
                + "\"\nmkdir -p function/target && cp \"" + jvm + "\" function/target/function.zip\n");
        executable(project.resolve("mvnw"));
    }

    List<String> calls(String tool) throws IOException {
        Path file = project.resolve(tool + ".calls");
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    static String hostArchitecture() {
        String arch = System.getProperty("os.arch");
        return arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : "x86_64";
    }

    static Run run(Path directory, Map<String, String> environment, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(process.waitFor(), output);
    }

    /** The first 20 bytes of a 64-bit little-endian ELF executable for this machine type (e_machine at 18). */
    static byte[] elf(int machine) {
        byte[] header = new byte[64];
        header[0] = 0x7f;
        header[1] = 'E';
        header[2] = 'L';
        header[3] = 'F';
        header[4] = 2;
        header[5] = 1;
        header[6] = 1;
        header[16] = 2;
        header[18] = (byte) (machine & 0xff);
        header[19] = (byte) (machine >> 8);
        return header;
    }

    /** A zip with one entry, whose Unix permissions are recorded as Lambda reads them (Info-ZIP's zip). */
    static Path zip(String name, String entry, byte[] content, String permissions) throws Exception {
        Path dir = Files.createTempDirectory(zips, name);
        Path file = dir.resolve(entry);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        Path zip = zips.resolve(name);
        Run made = run(dir, Map.of(), "zip", "-q", "-X", zip.toString(), entry);
        assertEquals(0, made.exit(), made.output());
        return zip;
    }

    static void executable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
