import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Build step, run by Maven in {@code generate-test-resources} (pom.xml) and by {@code .ci/run}: finds a Python that can
 * run moto's server, which the DynamoDB store's tests start ({@code src/test/python/serial_moto_server.py}), and writes
 * its command to a file the tests read ({@code target/moto-python}). In this order:
 * <ol>
 * <li>{@code python3} on the PATH, when it has moto and its server's packages;
 * <li>the virtual environment {@code src/test/python/.venv} (ignored by git), made by an earlier run;
 * <li>that virtual environment made now, with {@value #REQUIREMENT} installed by its pip from the package index pip
 * is set up for (once: a later build finds it in step 2).
 * </ol>
 * When none works it fails with one line that says why and what to install, before any test waits for a server that
 * cannot start.
 */
public final class MotoServerPython {
    static final String REQUIREMENT = "moto[server]==5.2.1";
    private static final String INSTALL = "python3 -m pip install \"" + REQUIREMENT + "\"";

    private MotoServerPython() {
    }

    /** @param args the server script, the virtual environment's directory, the file to write the command to */
    public static void main(String[] args) throws IOException, InterruptedException {
        Path server = Path.of(args[0]).toAbsolutePath();
        Path venv = Path.of(args[1]).toAbsolutePath();
        Path output = Path.of(args[2]);
        Run system = run(List.of("python3", server.toString(), "--check"), 120);
        if (system.exit() == 0) {
            use(output, "python3", "python3 has it");
            return;
        }
        if (system.exit() == Run.NOT_STARTED) {
            fail("python3 is missing: the DynamoDB tests run moto's server under it (then: " + INSTALL + ")");
        }
        Path python = venvPython(venv);
        if (Files.isExecutable(python) && run(List.of(python.toString(), server.toString(), "--check"), 120).exit() == 0) {
            use(output, python.toString(), "the virtual environment " + venv + " has it");
            return;
        }
        System.out.println("moto's server: python3 cannot run it (" + system.reason() + "); installing " + REQUIREMENT
                + " into " + venv);
        String failure = install(venv, python, server);
        if (failure == null) {
            use(output, python.toString(), "installed into " + venv);
            return;
        }
        deleteTree(venv);
        fail("moto's server cannot run: python3 lacks it (" + system.reason() + ") and installing " + REQUIREMENT
                + " into " + venv + " failed (" + failure + "); install it: " + INSTALL);
    }

    /** Makes the virtual environment and installs moto into it; null when its python then runs the server. */
    private static String install(Path venv, Path python, Path server) throws IOException, InterruptedException {
        deleteTree(venv);
        Run made = run(List.of("python3", "-m", "venv", venv.toString()), 300);
        if (made.exit() != 0) {
            return "python3 -m venv: " + made.reason();
        }
        Run pip = run(List.of(python.toString(), "-m", "pip", "install", "--disable-pip-version-check", "--no-input",
                "--quiet", "--timeout", "30", "--retries", "2", REQUIREMENT), 1200);
        if (pip.exit() != 0) {
            return "pip: " + pip.reason();
        }
        Run check = run(List.of(python.toString(), server.toString(), "--check"), 120);
        return check.exit() == 0 ? null : "after installing it: " + check.reason();
    }

    private static Path venvPython(Path venv) {
        Path windows = venv.resolve("Scripts").resolve("python.exe");
        return Files.exists(windows) ? windows : venv.resolve("bin").resolve("python");
    }

    private static void use(Path output, String command, String why) throws IOException {
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, command + "\n");
        System.out.println("moto's server runs under " + command + " (" + why + ")");
    }

    /** A command's exit status (or {@link #NOT_STARTED}) and the last line it printed that says why it failed. */
    private record Run(int exit, String reason) {
        static final int NOT_STARTED = -1;
    }

    private static Run run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("moto-server-python", ".log");
        try {
            Process process;
            try {
                process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            } catch (IOException e) {
                return new Run(Run.NOT_STARTED, command.get(0) + " cannot be run (" + e.getMessage() + ")");
            }
            process.getOutputStream().close();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                return new Run(124, "no answer within " + timeoutSeconds + " s");
            }
            return new Run(process.exitValue(), reason(Files.readAllLines(log, StandardCharsets.UTF_8),
                    process.exitValue()));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** pip's last ERROR line, or else the last line printed, or else the exit status. */
    private static String reason(List<String> lines, int exit) {
        List<String> said = new ArrayList<>();
        for (String line : lines) {
            if (!line.isBlank()) {
                said.add(line.strip());
            }
        }
        for (int i = said.size() - 1; i >= 0; i--) {
            if (said.get(i).startsWith("ERROR:")) {
                return said.get(i).substring("ERROR:".length()).strip();
            }
        }
        return said.isEmpty() ? "exit status " + exit : said.get(said.size() - 1);
    }

    private static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static void fail(String line) {
        System.err.println(line);
        System.exit(1);
    }
}
