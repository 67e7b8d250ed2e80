package cloud.phonematch.verify.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.support.ThrowawayTls;

/**
 * After {@code package -Djvm-aot} (Failsafe; the profile names the zip, so a build without it skips this class):
 * {@code target/function-jvm-aot.zip} as {@code src/build/java/BuildJvmAotZip.java} writes it, started as Lambda's
 * provided.al2023 starts it — unpacked with the modes and times of its entries, its own {@code bootstrap} run with no
 * arguments in the environment Lambda gives — against the benchmark's local Runtime API, with the fakes of the API and
 * Secrets Manager serving HTTPS with a throwaway certificate (trusted through {@code JAVA_TOOL_OPTIONS}, as the
 * training is: the bootstrap has no trust setting). It answers from the AOT cache, and still answers, with one line
 * saying why, when the JVM cannot use the cache: missing, truncated, a jar with another time, or found damaged.
 */
@EnabledIfSystemProperty(named = PackagedJvmAotIT.ZIP_PROPERTY, matches = ".+",
        disabledReason = "the jvm-aot package is built and tested with -Djvm-aot")
class PackagedJvmAotIT {
    static final String ZIP_PROPERTY = "packaged-jvm-aot.zip";
    /** BuildJvmAotZip's time of every entry. */
    private static final FileTime FIXED_TIME = FileTime.from(Instant.parse("2000-01-01T00:00:00Z"));
    private static final int REGULAR = 0100000;
    private static final int DIRECTORY = 0040000;
    private static final String CACHE_LINE = "AOT cache";

    @TempDir
    Path work;

    private static Path zip() {
        return Path.of(System.getProperty(ZIP_PROPERTY));
    }

    @Test
    void isLaidOutForTheProvidedRuntime() throws IOException {
        Map<String, Integer> modes = unixModes(zip());
        List<String> names = new ArrayList<>(modes.keySet());
        assertEquals("bootstrap", names.get(0), "the entry provided.al2023 starts");
        assertEquals("app.aot", names.get(names.size() - 1));
        assertTrue(names.stream().allMatch(n -> n.equals("bootstrap") || n.equals("app.aot") || n.startsWith("java/")
                || n.startsWith("app/")), names.toString());
        assertEquals(REGULAR | 0755, modes.get("bootstrap"));
        assertEquals(REGULAR | 0755, modes.get("java/bin/java"));
        assertTrue(modes.containsKey("java/release"), "the runtime image says what it is");
        for (String jar : List.of("app/function.jar", "app/function-dependencies.jar",
                "app/aws-lambda-java-runtime-interface-client-2.10.1.jar")) {
            assertTrue(modes.containsKey(jar), jar);
        }
        modes.forEach((name, mode) -> {
            int type = name.endsWith("/") ? DIRECTORY : REGULAR;
            assertEquals(type, mode & 0170000, name + " has its file type");
            assertEquals(0444, mode & 0444, name + " is readable by the function's user");
        });
        long unzipped = 0;
        try (FileSystem archive = FileSystems.newFileSystem(zip())) {
            for (String name : names) {
                Path entry = archive.getPath(name);
                assertEquals(FIXED_TIME, Files.getLastModifiedTime(entry), name + ": the time the cache was trained with");
                unzipped += Files.isDirectory(entry) ? 0 : Files.size(entry);
            }
        }
        assertTrue(unzipped < 262_144_000L, unzipped + " bytes unzipped; Lambda allows 250 MB");
    }

    @Test
    void answersOverHttpsFromTheCache() throws Exception {
        Path task = PackagedRun.unpack(zip(), work.resolve("task"));
        Path classes = work.resolve("classes.txt");
        PackagedRun.Outcome run = verify(task, "-Xlog:class+load:file=" + classes);
        assertEquals(List.of("the JVM started from the AOT cache"), cacheLines(run, "INFO"));
        // The bootstrap's fewer rehearsals of the local paths (it says why) reach the function, and an on-demand
        // init sets up the function's own clients.
        assertTrue(run.functionLog().contains("\"primed the local paths 30 times and the request path against a"
                + " loopback server, and set up the function's clients in "), run.functionLog());

        // The JVM's own account: the function's classes came out of the cache, not out of the jars.
        List<String> loaded = Files.readAllLines(classes);
        long fromCache = loaded.stream().filter(l -> l.contains("source: shared objects file")).count();
        assertTrue(fromCache > 0.8 * loaded.size(), fromCache + " of " + loaded.size() + " classes from the cache");
        for (String type : List.of("cloud.phonematch.verify.handler.VerificationHandler",
                "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", "io.netty.handler.ssl.SslHandler",
                "sun.security.ssl.SSLEngineImpl")) {
            assertTrue(loaded.stream().anyMatch(l -> l.contains(" " + type + " source: shared objects file")),
                    type + " from the cache");
        }
    }

    /**
     * Bytes overwritten inside the cache pass the JVM's checks unless it is asked to verify the cache's checksums,
     * which the bootstrap does not do at every start (it says why): this is what an operator adding
     * {@code -XX:+VerifySharedSpaces} to check a suspect cache gets.
     */
    @Test
    void answersWithoutACacheWhoseBytesWereOverwrittenWhenAskedToVerifyIt() throws Exception {
        Path task = PackagedRun.unpack(zip(), work.resolve("task"));
        Path cache = task.resolve("app.aot");
        byte[] noise = new byte[64 * 1024];
        new Random(7).nextBytes(noise);
        try (RandomAccessFile file = new RandomAccessFile(cache.toFile(), "rw")) {
            file.seek(file.length() / 2);
            file.write(noise);
        }
        Files.setLastModifiedTime(cache, FIXED_TIME);
        assertOneWarning(verify(task, "-XX:+VerifySharedSpaces"), "the JVM: Checksum verification failed.");
    }

    @Test
    void answersWithoutATruncatedCache() throws Exception {
        Path task = PackagedRun.unpack(zip(), work.resolve("task"));
        try (RandomAccessFile file = new RandomAccessFile(task.resolve("app.aot").toFile(), "rw")) {
            file.setLength(file.length() / 2);
        }
        assertOneWarning(verify(task), "the JVM: The AOT cache has been truncated.");
    }

    /** What happens on Lambda if its unpacking does not keep the entries' times. */
    @Test
    void answersWithoutTheCacheWhenAJarHasAnotherTime() throws Exception {
        Path task = PackagedRun.unpack(zip(), work.resolve("task"));
        Path jar = task.resolve("app/function.jar");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
        assertOneWarning(verify(task), "the JVM: This file is not the one used while building the shared archive"
                + " file: '" + jar + "', timestamp has changed");
    }

    @Test
    void answersWithoutAMissingCache() throws Exception {
        Path task = PackagedRun.unpack(zip(), work.resolve("task"));
        Files.delete(task.resolve("app.aot"));
        assertOneWarning(verify(task), "app.aot is missing");
    }

    private PackagedRun.Outcome verify(Path task, String... jvmOptions) throws Exception {
        ThrowawayTls tls = ThrowawayTls.in(work.resolve("tls"));
        List<String> toolOptions = new ArrayList<>(tls.trustOptions());
        toolOptions.addAll(List.of(jvmOptions));
        List<String> options = new ArrayList<>(tls.driverOptions());
        options.addAll(List.of("--function-env", "JAVA_TOOL_OPTIONS=" + String.join(" ", toolOptions)));
        // The bootstrap's file for the JVM's cache messages, in the test's directory rather than the machine's /tmp.
        options.addAll(List.of("--function-env", "TMPDIR=" + Files.createDirectories(work.resolve("tmp"))));
        PackagedRun.Outcome run = PackagedRun.verify(work.resolve("run"), "provided.al2023", task, 4, options,
                List.of(task.resolve("bootstrap").toString()));
        JsonNode result = run.result();
        JsonNode first = run.firstAnswer();
        assertEquals("CONSISTENT", first.get("status").asText());
        assertEquals("139****5670", first.get("mobile").asText());
        // From the fakes' own counts, over HTTPS: one API call per invocation, the token read once.
        assertEquals(5, result.get("api_calls").asInt());
        assertEquals(5, result.get("api_calls_with_token").asInt());
        assertEquals(1, result.get("secrets_manager_calls").asInt());
        assertFalse(run.functionLog().contains("[aot]"), "the JVM's own cache messages stay off the log:\n"
                + PackagedRun.tail(run.functionLog()));
        return run;
    }

    private static void assertOneWarning(PackagedRun.Outcome run, String reason) {
        assertEquals(List.of("the JVM started without the AOT cache (" + reason + "); the function runs, its start is"
                + " slower"), cacheLines(run, "WARN"));
    }

    /** The messages of the log's lines that mention the cache, each asserted to be at {@code level}. */
    private static List<String> cacheLines(PackagedRun.Outcome run, String level) {
        List<String> messages = new ArrayList<>();
        for (String line : run.functionLog().lines().filter(l -> l.contains(CACHE_LINE)).toList()) {
            assertTrue(line.contains("\"level\":\"" + level + "\""), line);
            int start = line.indexOf("\"message\":\"") + "\"message\":\"".length();
            messages.add(line.substring(start, line.indexOf("\",\"", start)).replace("\\'", "'"));
        }
        return messages;
    }

    /** Each entry's Unix mode, from the zip's central directory, in the zip's order. */
    private static Map<String, Integer> unixModes(Path zip) throws IOException {
        byte[] bytes = Files.readAllBytes(zip);
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int end = bytes.length - 22;
        assertEquals(0x06054b50, buffer.getInt(end), "the end record, the zip having no comment");
        int entries = Short.toUnsignedInt(buffer.getShort(end + 10));
        int at = buffer.getInt(end + 16);
        Map<String, Integer> modes = new LinkedHashMap<>();
        for (int i = 0; i < entries; i++) {
            assertEquals(0x02014b50, buffer.getInt(at));
            assertEquals(3, Byte.toUnsignedInt(bytes[at + 5]), "made on Unix, so the mode is read");
            int nameLength = Short.toUnsignedInt(buffer.getShort(at + 28));
            modes.put(new String(bytes, at + 46, nameLength, StandardCharsets.UTF_8), buffer.getInt(at + 38) >>> 16);
            at += 46 + nameLength + Short.toUnsignedInt(buffer.getShort(at + 30))
                    + Short.toUnsignedInt(buffer.getShort(at + 32));
        }
        return modes;
    }
}
