package cloud.phonematch.verify.priming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.phonematch.verify.support.RecordedLogs;

/** The startup line about the AOT cache: none outside the jvm-aot package, one inside it, with the JVM's reason. */
class AotCacheCheckTest {
    private static final String IN_USE = "mixed mode, emulated-client, sharing";
    private static final String NOT_IN_USE = "mixed mode, emulated-client";
    /** What JDK 25 writes when a jar on the class path has another modification time than at training. */
    private static final List<String> TIMESTAMP_CHANGED = List.of(
            "[warning][aot] This file is not the one used while building the shared archive file:"
                    + " '/var/task/app/function.jar', timestamp has changed",
            "[error  ][aot] An error has occurred while processing the AOT cache. Run with -Xlog:aot for details.",
            "[error  ][aot] shared class paths mismatch (hint: enable -Xlog:class+path=info to diagnose the failure)",
            "[error  ][aot] Unable to map shared spaces");

    @TempDir
    Path dir;

    @Test
    void aCacheInUseIsNoProblem() {
        assertEquals(Optional.empty(), AotCacheCheck.problem(IN_USE, true, List.of()));
    }

    @Test
    void namesTheJvmsReasonWithoutItsDecorations() {
        assertEquals(Optional.of("the JVM: This file is not the one used while building the shared archive file:"
                + " '/var/task/app/function.jar', timestamp has changed"),
                AotCacheCheck.problem(NOT_IN_USE, true, TIMESTAMP_CHANGED));
        assertEquals(Optional.of("the JVM: Header checksum verification failed."),
                AotCacheCheck.problem(NOT_IN_USE, true, List.of("[0.006s][warning][aot] Header checksum verification failed.",
                        "[0.006s][warning][aot] Unable to read the file header.")));
    }

    @Test
    void aFailureWithoutAReasonSaysHowToGetOne() {
        assertEquals(Optional.of("the JVM gave no reason; run with -Xlog:aot to see it"),
                AotCacheCheck.problem(NOT_IN_USE, true, List.of("[error][aot] Unable to map shared spaces")));
    }

    @Test
    void aMissingFileIsNamed() {
        assertEquals(Optional.of("app.aot is missing"), AotCacheCheck.problem(NOT_IN_USE, false, List.of()));
    }

    @Test
    void aReasonIsOneShortPrintableLine() {
        String reason = AotCacheCheck.printable("path '/var/task/\u00e9\u0007x'" + "y".repeat(400));
        assertTrue(reason.startsWith("path '/var/task/??x'"), reason);
        assertEquals(AotCacheCheck.MAX_REASON + 3, reason.length());
    }

    @Test
    void logsOneWarningWithTheReasonAndRemovesTheJvmsFile() throws IOException {
        Path cache = Files.writeString(dir.resolve("app.aot"), "cache");
        Path jvmLog = Files.write(dir.resolve("jvm-aot.log"), TIMESTAMP_CHANGED);
        List<RecordedLogs.Message> lines = logged(new AotCacheCheck(true, Optional.of(cache.toString()),
                Optional.of(jvmLog.toString())), NOT_IN_USE);
        assertEquals(1, lines.size(), lines.toString());
        assertEquals(Level.WARNING, lines.get(0).level());
        assertEquals("the JVM started without the AOT cache (the JVM: This file is not the one used while building the"
                + " shared archive file: '/var/task/app/function.jar', timestamp has changed); the function runs, its"
                + " start is slower", lines.get(0).message());
        assertFalse(Files.exists(jvmLog), "read once, then removed");
    }

    @Test
    void logsOneInfoLineWhenTheCacheIsInUse() throws IOException {
        Path cache = Files.writeString(dir.resolve("app.aot"), "cache");
        List<RecordedLogs.Message> lines = logged(new AotCacheCheck(true, Optional.of(cache.toString()),
                Optional.of(dir.resolve("jvm-aot.log").toString())), IN_USE);
        assertEquals(1, lines.size(), lines.toString());
        assertEquals(Level.INFO, lines.get(0).level());
        assertEquals("the JVM started from the AOT cache", lines.get(0).message());
    }

    @Test
    void saysNothingOutsideTheJvmAotPackage() {
        assertEquals(List.of(), logged(new AotCacheCheck(false, Optional.empty(), Optional.empty()), NOT_IN_USE));
    }

    private static List<RecordedLogs.Message> logged(AotCacheCheck check, String vmInfo) {
        try (RecordedLogs logs = RecordedLogs.start()) {
            check.check(vmInfo);
            return logs.messages().stream().filter(m -> m.logger().equals(AotCacheCheck.class.getName())).toList();
        }
    }
}
