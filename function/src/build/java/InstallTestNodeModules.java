import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Build step, run by Maven in {@code generate-test-resources} (pom.xml): installs the npm packages the tests run under
 * Node ({@code src/test/node}: the jsonata package that evaluates the state machines' expressions) with
 * {@code npm ci}, exactly as its {@code package-lock.json} pins them. It installs again only when
 * {@code package.json} or the lock file changed since the last install, so a build that has them needs no network.
 * Without node or npm it fails with one line naming what is missing.
 */
public final class InstallTestNodeModules {
    /** In {@code node_modules} (which {@code npm ci} empties first): the digest of the files it was installed from. */
    private static final String STAMP = "node_modules/.installed-from";

    private InstallTestNodeModules() {
    }

    /** @param args the directory holding {@code package.json} and {@code package-lock.json} */
    public static void main(String[] args) throws IOException, InterruptedException {
        Path directory = Path.of(args[0]);
        for (String tool : List.of("node", "npm")) {
            requireTool(tool);
        }
        String installedFrom = digest(directory.resolve("package.json"), directory.resolve("package-lock.json"));
        Path stamp = directory.resolve(STAMP);
        if (Files.exists(stamp) && Files.readString(stamp).equals(installedFrom)) {
            System.out.println(directory + ": npm packages installed, as package-lock.json pins them");
            return;
        }
        System.out.println(directory + ": npm ci");
        int exit = new ProcessBuilder("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error")
                .directory(directory.toFile()).inheritIO().start().waitFor();
        if (exit != 0) {
            fail("npm ci in " + directory + " failed (exit " + exit + "); its output is above");
        }
        Files.writeString(stamp, installedFrom);
    }

    private static void requireTool(String tool) throws InterruptedException {
        int exit;
        try {
            Process process = new ProcessBuilder(tool, "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            exit = process.waitFor();
        } catch (IOException e) {
            exit = -1;
        }
        if (exit != 0) {
            fail(tool + " is missing: the tests need Node.js 20 or newer with npm on the PATH (they evaluate the state"
                    + " machines' JSONata with the npm package jsonata)");
        }
    }

    private static String digest(Path... files) throws IOException {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (Path file : files) {
                sha256.update(Files.readAllBytes(file));
            }
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void fail(String line) {
        System.err.println(line);
        System.exit(1);
    }
}
