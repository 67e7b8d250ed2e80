package cloud.phonematch.verify.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Everything the test suite printed: Surefire captures each test class's console output (where the
 * function logs, and where its EMF metrics go) into {@code target/surefire-reports/*-output.txt}.
 */
public final class CapturedOutput {
    private static final Path REPORTS = Path.of("target/surefire-reports");

    private CapturedOutput() {
    }

    public record Line(String file, String text) {
    }

    public static List<Line> lines() {
        List<Line> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(REPORTS)) {
            for (Path file : files.filter(p -> p.getFileName().toString().endsWith("-output.txt")).toList()) {
                for (String text : Files.readAllLines(file)) {
                    lines.add(new Line(file.getFileName().toString(), text));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (lines.isEmpty()) {
            throw new AssertionError("no captured output: run the suite first (redirectTestOutputToFile)");
        }
        return lines;
    }
}
