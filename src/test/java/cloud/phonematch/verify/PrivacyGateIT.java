package cloud.phonematch.verify;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import cloud.phonematch.verify.support.TestPeople;

/**
 * The privacy gate. Runs after the whole suite (Failsafe, in {@code verify}) over everything the suite
 * printed — Surefire captures each test class's console output, where the function logs, into
 * {@code target/surefire-reports/*-output.txt}. Fails if any name, number, token or secret value of the
 * test data, or any 11-digit mobile number at all, appears on any line.
 */
class PrivacyGateIT {
    private static final Path CONSOLE_OUTPUT = Path.of("target/surefire-reports");
    /** Any 11-digit mainland mobile number, wherever it appears (the masked form has asterisks). */
    private static final Pattern ANY_MOBILE = Pattern.compile("(?<![0-9])1[3-9][0-9]{9}(?![0-9])");

    @Test
    void noPersonalDataOrSecretInAnyLogLine() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> outputs = Files.list(CONSOLE_OUTPUT)) {
            outputs.filter(p -> p.getFileName().toString().endsWith("-output.txt")).forEach(files::add);
        }
        assertTrue(!files.isEmpty(), "the suite's console output must be captured (redirectTestOutputToFile)");

        List<String> leaks = new ArrayList<>();
        int summaryLines = 0;
        for (Path file : files) {
            for (String line : Files.readAllLines(file)) {
                if (line.contains("verification aws_request_id=")) {
                    summaryLines++;
                }
                for (String secret : TestPeople.forbiddenInLogs()) {
                    if (line.contains(secret)) {
                        leaks.add(file.getFileName() + ": contains '" + secret.substring(0, 2) + "…': " + clip(line));
                    }
                }
                if (ANY_MOBILE.matcher(line).find()) {
                    leaks.add(file.getFileName() + ": contains an 11-digit mobile number: " + clip(line));
                }
            }
        }
        assertTrue(summaryLines > 50, "expected the suite's summary lines in the logs, found " + summaryLines);
        assertTrue(leaks.isEmpty(), leaks.size() + " leaking lines:\n" + String.join("\n", leaks.subList(0,
                Math.min(20, leaks.size()))));
    }

    private static String clip(String line) {
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
