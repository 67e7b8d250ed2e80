package cloud.phonematch.verify.priming;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Says at startup, in one line, whether the JVM started from the function's ahead-of-time cache, when it was meant to:
 * the jvm-aot package's {@code bootstrap} sets {@value #EXPECTED}{@code =true}, the cache's path ({@value #FILE}) and a
 * file the JVM writes its own cache messages to ({@value #JVM_LOG}), which it keeps off the console so that a cache the
 * JVM cannot use is this one line, not five. A JVM that cannot use the cache (another JVM build, other flags or jars, a
 * jar with another modification time, a damaged or missing file) runs without it, so the function still answers, only
 * with a slower start: a WARN line with the JVM's reason. A cache in use is an INFO line. Outside that package
 * ({@value #EXPECTED} unset) nothing is logged.
 * <p>
 * The signal: {@code java.vm.info} names {@code sharing} exactly when the JVM maps a class archive, and the package's
 * runtime image has no default archive of its own (jlink writes one only when asked), so there it means the cache.
 */
@Singleton
public class AotCacheCheck {
    static final String EXPECTED = "priming.aot-cache.expected";
    static final String FILE = "priming.aot-cache.file";
    static final String JVM_LOG = "priming.aot-cache.jvm-log";
    /** The longest reason quoted from the JVM: one log line, never a wall of text. */
    static final int MAX_REASON = 300;
    private static final Logger LOG = Logger.getLogger(AotCacheCheck.class);
    /** The decorations of a unified-logging line, e.g. {@code [0.129s][warning][aot]}. */
    private static final Pattern DECORATIONS = Pattern.compile("^(\\[[^\\]]*\\])+\\s*");
    /** The JVM's closing lines, which say that the cache failed but not why. */
    private static final Pattern GENERIC = Pattern.compile(
            "^(An error has occurred while processing the AOT cache.*|Unable to map shared spaces|Loading static archive failed\\.?)$");

    private final boolean expected;
    private final Optional<String> cacheFile;
    private final Optional<String> jvmLog;

    public AotCacheCheck(@ConfigProperty(name = EXPECTED, defaultValue = "false") boolean expected,
            @ConfigProperty(name = FILE) Optional<String> cacheFile,
            @ConfigProperty(name = JVM_LOG) Optional<String> jvmLog) {
        this.expected = expected;
        this.cacheFile = cacheFile;
        this.jvmLog = jvmLog;
    }

    void checkAtStartup(@Observes StartupEvent event) {
        check(System.getProperty("java.vm.info", ""));
    }

    /** The check, given the JVM's {@code java.vm.info}. */
    void check(String vmInfo) {
        if (!expected) {
            return;
        }
        Optional<String> problem = problem(vmInfo, cacheFile.map(f -> Files.isRegularFile(Path.of(f))).orElse(false),
                jvmLogLines());
        if (problem.isPresent()) {
            LOG.warnf("the JVM started without the AOT cache (%s); the function runs, its start is slower",
                    problem.get());
        } else {
            LOG.info("the JVM started from the AOT cache");
        }
    }

    /**
     * Why the cache is not in use, or empty when it is.
     *
     * @param vmInfo the JVM's {@code java.vm.info}
     * @param cacheFileExists whether the cache file is there
     * @param jvmLogLines what the JVM logged about the cache, decorated as unified logging writes it
     */
    static Optional<String> problem(String vmInfo, boolean cacheFileExists, List<String> jvmLogLines) {
        if (vmInfo.contains("sharing")) {
            return Optional.empty();
        }
        if (!cacheFileExists) {
            return Optional.of("app.aot is missing");
        }
        return Optional.of(jvmLogLines.stream().map(l -> DECORATIONS.matcher(l).replaceFirst("").strip())
                .filter(l -> !l.isEmpty() && !GENERIC.matcher(l).matches()).findFirst()
                .map(AotCacheCheck::printable).map(r -> "the JVM: " + r)
                .orElse("the JVM gave no reason; run with -Xlog:aot to see it"));
    }

    /** A reason as one short line of printable ASCII: the JVM quotes paths, nothing else comes from outside. */
    static String printable(String reason) {
        String clean = reason.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() <= MAX_REASON ? clean : clean.substring(0, MAX_REASON) + "...";
    }

    /** The JVM's messages about the cache, read once; the file is removed (a new one is written at each start). */
    private List<String> jvmLogLines() {
        if (jvmLog.isEmpty()) {
            return List.of();
        }
        Path file = Path.of(jvmLog.get());
        try {
            // Byte by byte: a path in another encoding must not cost the reason (printable() masks what is not ASCII).
            List<String> lines = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).lines().toList();
            Files.deleteIfExists(file);
            return lines;
        } catch (IOException e) {
            return List.of();
        }
    }
}
