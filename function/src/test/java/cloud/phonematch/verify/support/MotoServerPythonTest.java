package cloud.phonematch.verify.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build step that finds the Python for moto's server ({@code src/build/java/MotoServerPython.java}), run as Maven
 * runs it, with stand-ins for {@code python3} on the PATH: the real interpreter without its site-packages (so without
 * moto), or with a stand-in moto in their place. No network: where it installs, pip installs from a directory.
 */
class MotoServerPythonTest {
    private static final Path PROGRAM = ProjectRoot.MODULE.resolve("src/build/java/MotoServerPython.java");
    private static final Path SERVER = ProjectRoot.MODULE.resolve("src/test/python/serial_moto_server.py");
    private static final String INSTALL = "python3 -m pip install \"moto[server]==5.2.1\"";

    /** The interpreter python3 names on this machine (the tests need it: it runs moto's server). */
    private static String realPython;

    @TempDir
    Path work;

    @BeforeAll
    static void findPython() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").start();
        realPython = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, process.waitFor());
    }

    /** A directory for the PATH holding an executable {@code name} that runs {@code script} (sh). */
    private Path bin(String directory, String name, String script) throws IOException {
        Path bin = Files.createDirectories(work.resolve(directory));
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    /** python3 without moto: the interpreter isolated from every site-packages. */
    private Path pythonWithoutMoto() throws IOException {
        return bin("without-moto", "python3", "exec " + realPython + " -I -S \"$@\"");
    }

    /** Modules that stand in for moto's server and werkzeug: enough for the server script's imports. */
    private Path standInModules() throws IOException {
        Path modules = work.resolve("stand-in-moto");
        for (Map.Entry<String, String> file : standInFiles().entrySet()) {
            Path path = modules.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
        return modules;
    }

    private static Map<String, String> standInFiles() {
        return Map.of("moto/__init__.py", "__version__ = '5.2.1'\n",
                "moto/moto_server/__init__.py", "",
                "moto/moto_server/werkzeug_app.py", "DomainDispatcherApplication = object\n"
                        + "def create_backend_app(service):\n    return None\n",
                "werkzeug/__init__.py", "",
                "werkzeug/serving.py", "def run_simple(*args, **kwargs):\n    return None\n");
    }

    private record Result(int exit, String stdout, String stderr, String written) {
    }

    /** The PATH with the directory first. */
    private static String before(Path bin) {
        return bin + ":" + System.getenv("PATH");
    }

    private Result run(String path, Map<String, String> environment) throws IOException, InterruptedException {
        Path venv = work.resolve("venv");
        Path output = work.resolve("target/moto-python");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), PROGRAM.toString(), SERVER.toString(), venv.toString(), output.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("PATH", path);
        builder.environment().putAll(environment);
        Path errors = work.resolve("stderr");
        Process process = builder.redirectError(errors.toFile()).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "the step ended");
        return new Result(process.exitValue(), out, Files.readString(errors),
                Files.exists(output) ? Files.readString(output).strip() : null);
    }

    @Test
    void python3WithMotoIsUsedAsItIs() throws Exception {
        Path bin = bin("with-moto", "python3", "PYTHONPATH=" + standInModules() + " exec " + realPython + " -S \"$@\"");

        Result result = run(before(bin), Map.of());

        assertEquals(0, result.exit(), result.toString());
        assertEquals("python3", result.written());
        assertEquals("", result.stderr());
        assertFalse(Files.exists(work.resolve("venv")), "nothing installed");
    }

    @Test
    void withoutMotoTheVirtualEnvironmentOfAnEarlierBuildIsUsed() throws Exception {
        Path venvBin = bin("venv/bin", "python", "PYTHONPATH=" + standInModules() + " exec " + realPython
                + " -S \"$@\"");

        Result result = run(before(pythonWithoutMoto()), Map.of());

        assertEquals(0, result.exit(), result.toString());
        assertEquals(venvBin.resolve("python").toString(), result.written());
    }

    @Test
    void withoutMotoAndWithoutAnIndexToInstallItFromTheBuildStopsWithOneLine() throws Exception {
        Path emptyIndex = Files.createDirectories(work.resolve("empty-index"));
        Result result = run(before(pythonWithoutMoto()), pipFrom(emptyIndex));

        assertEquals(1, result.exit(), result.toString());
        assertEquals(List.of("moto's server cannot run: python3 lacks it (No module named 'moto') and installing"
                + " moto[server]==5.2.1 into " + work.resolve("venv") + " failed (pip: No matching distribution found"
                + " for moto[server]==5.2.1); install it: " + INSTALL), result.stderr().lines().toList());
        assertEquals(null, result.written());
        assertFalse(Files.exists(work.resolve("venv")), "no half-made virtual environment is left");
    }

    @Test
    void withoutMotoItIsInstalledIntoAVirtualEnvironmentThatTheNextBuildUses() throws Exception {
        Path index = Files.createDirectories(work.resolve("index"));
        writeStandInWheel(index.resolve("moto-5.2.1-py3-none-any.whl"));

        Result installed = run(before(pythonWithoutMoto()), pipFrom(index));

        assertEquals(0, installed.exit(), installed.toString());
        Path venvPython = work.resolve("venv/bin/python");
        assertEquals(venvPython.toString(), installed.written());
        assertTrue(installed.stdout().contains("installing moto[server]==5.2.1 into " + work.resolve("venv")),
                installed.stdout());

        Files.delete(work.resolve("target/moto-python"));
        Path emptyIndex = Files.createDirectories(work.resolve("empty-index"));
        Result again = run(before(pythonWithoutMoto()), pipFrom(emptyIndex));

        assertEquals(0, again.exit(), again.toString());
        assertEquals(venvPython.toString(), again.written());
        assertFalse(again.stdout().contains("installing"), again.stdout());
    }

    @Test
    void withoutPython3TheBuildStopsWithOneLine() throws Exception {
        Result result = run(Files.createDirectories(work.resolve("no-python")).toString(), Map.of());

        assertEquals(1, result.exit(), result.toString());
        assertEquals(List.of("python3 is missing: the DynamoDB tests run moto's server under it (then: " + INSTALL + ")"),
                result.stderr().lines().toList());
    }

    /** pip's settings that make it install from the directory alone: no index, no configuration file. */
    private static Map<String, String> pipFrom(Path directory) {
        return Map.of("PIP_CONFIG_FILE", "/dev/null", "PIP_NO_INDEX", "1", "PIP_FIND_LINKS", directory.toString());
    }

    /** A wheel named as moto 5.2.1 (extra "server"), holding the stand-in modules. */
    private static void writeStandInWheel(Path wheel) throws IOException {
        Map<String, String> files = new LinkedHashMap<>(standInFiles());
        String info = "moto-5.2.1.dist-info/";
        files.put(info + "METADATA", "Metadata-Version: 2.1\nName: moto\nVersion: 5.2.1\nProvides-Extra: server\n");
        files.put(info + "WHEEL", "Wheel-Version: 1.0\nGenerator: MotoServerPythonTest\nRoot-Is-Purelib: true\n"
                + "Tag: py3-none-any\n");
        StringBuilder record = new StringBuilder();
        for (String name : files.keySet()) {
            record.append(name).append(",,\n");
        }
        files.put(info + "RECORD", record.append(info).append("RECORD,,\n").toString());
        try (OutputStream out = Files.newOutputStream(wheel); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
    }
}
