import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Build step of the jvm-aot package ({@code ./mvnw package -Djvm-aot}, pom.xml's profile {@code jvm-aot}), run after
 * {@code RepackFunctionZip}: writes {@code target/function-jvm-aot.zip}, the function for Lambda's OS-only runtime
 * {@code provided.al2023} with a Java runtime of its own and an ahead-of-time cache (JDK 25: JEP 483, 514, 515), so
 * that the first caller of a new container waits less than on Lambda's java21 runtime. {@code function.zip} is left as
 * it is. The zip holds, in this order:
 * <ul>
 * <li>{@code bootstrap}, mode 0755: {@code src/build/jvm-aot/bootstrap} with the class path written in; it says
 * which JVM options it gives and why;</li>
 * <li>{@code java/}: a runtime image of the JDK running this program, made by jlink with {@link #MODULES};</li>
 * <li>{@code app/}: the function's classes (the JVM zip's top level) as {@code function.jar}, its
 * {@code function-dependencies.jar} as that zip holds it, and the AWS Lambda Runtime Interface Client's jars (copied
 * by the profile), which run the Runtime API loop (Quarkus's own loop exists only in native builds);</li>
 * <li>{@code app.aot}: the cache.</li>
 * </ul>
 * Every entry has the Unix mode of its file, which Lambda keeps, and the time {@link #FIXED_TIME}.
 *
 * <p><b>The training.</b> The cache is made by the package's own bootstrap, unpacked in {@code target/jvm-aot/task}
 * with the modes and times the zip gives, answering {@value #TRAINING_INVOCATIONS} invocations from the local Runtime
 * API of {@code bench/cold-start/runtime_api.py}: the cases of {@code src/build/jvm-aot/training-events.json} in turn
 * (API Gateway HTTP API and REST API events and direct events, consistent and inconsistent answers, idempotency keys,
 * refused inputs), in live mode against loopback fakes of the verification API, Secrets Manager and DynamoDB (moto's
 * server, with the records table, and the daily budgets on as deployed, under caps the run cannot reach), all over
 * HTTPS as the real ones are, so that the TLS classes are in the cache. The fakes' certificate is a throwaway one made
 * here; only the training JVM trusts it, through {@code JAVA_TOOL_OPTIONS} (with the runtime image's CA certificates
 * beside it), which also gives {@code -XX:AOTCacheOutput}: the bootstrap itself has no trust setting. Placeholder data
 * only. The JVM writes the cache when it exits.
 *
 * <p><b>Why the times.</b> The JVM checks each jar of the class path against the cache by size and modification time,
 * so the jars are trained with the times their zip entries carry. Whether Lambda's unpacking keeps an entry's time is
 * not documented: if it does not, the JVM refuses the cache and the function starts without it, logging one WARN line
 * that names the changed jar ({@code AotCacheCheck}).
 *
 * <p><b>Measured on the building machine</b> (x86_64, 2 shared cores; 9 cold starts per variant, alternating, against
 * the local Runtime API, medians): init 679 ms from the cache against 1,352 ms for the same package without it; with
 * {@code -XX:+VerifySharedSpaces} (the cache's checksums checked at every start) 1,158 ms, which is why the bootstrap
 * does not ask for it (it says what guards the cache's bytes instead).
 *
 * <p>Refuses, with one line and a non-zero exit: a JDK before 25 (the cache is made by, and only usable with, the
 * JVM of the runtime image, which is this JDK's), an OS other than Linux, a machine other than x86_64 or aarch64,
 * no Python with moto's server, and a training that fails (with its log's path).
 *
 * <p>Usage: {@code java BuildJvmAotZip.java <function.zip> <RIC jars dir> <project root> <moto-python file>
 * <work dir> <output zip>}
 */
public final class BuildJvmAotZip {
    /**
     * The runtime image's modules. jdeps over the function's jars names java.base, java.logging (JBoss LogManager),
     * java.management (jboss-threads), java.naming (Netty, Vert.x, Quarkus's TLS), java.sql (Jackson's java.sql
     * types), jdk.unsupported (Netty, sun.misc.Unsafe), and three more left out: java.desktop (only Jackson's optional
     * java.beans annotations and Quarkus's native-image substitutions), java.rmi (only jakarta.transaction's
     * exceptions) and java.compiler (only Vert.x's verticle compiler). Added, because they are looked up at run time
     * rather than linked: jdk.zipfs (SmallRye Config reads application.properties out of function.jar through a zip
     * file system), jdk.net (the extended socket options the JDK's sockets look for) and jdk.naming.dns (Netty's
     * name-server discovery through JNDI). A module missing at run time fails the training.
     */
    static final List<String> MODULES = List.of("java.base", "java.logging", "java.management", "java.naming",
            "java.sql", "jdk.naming.dns", "jdk.net", "jdk.unsupported", "jdk.zipfs");
    /**
     * No debug attributes, man pages or headers; the modules image not compressed: {@code --compress=zip-6} made no
     * difference to the start (init 683 against 679 ms, medians of 9 alternating cold starts: the classes a start
     * needs come from the cache, not the image) and made the zip 5 MB larger (64.4 against 59.2 MB: the zip deflates
     * an uncompressed image better than jlink does), for 22 MB less unzipped (183 against 205 MB, under the 250 MB
     * limit either way). The zip is what Lambda fetches at a cold start.
     */
    static final List<String> JLINK_OPTIONS = List.of("--strip-debug", "--no-man-pages", "--no-header-files");
    /** The time of every file and zip entry: fixed, so that the jars Lambda unpacks are the jars the cache knows. */
    static final FileTime FIXED_TIME = FileTime.from(Instant.parse("2000-01-01T00:00:00Z"));
    static final int TRAINING_INVOCATIONS = 300;
    /** Lambda's limit on a function's unzipped size: 250 MB (262,144,000 bytes). */
    static final long UNZIPPED_LIMIT = 262_144_000L;
    static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    private static final String TAG = "[jvm-aot] ";
    private static final String STORE_PASSWORD = "changeit";

    private BuildJvmAotZip() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            fail("usage: java BuildJvmAotZip.java <function.zip> <RIC jars dir> <project root> <moto-python file>"
                    + " <work dir> <output zip>");
        }
        Path functionZip = Path.of(args[0]).toAbsolutePath();
        Path ricJars = Path.of(args[1]).toAbsolutePath();
        Path root = Path.of(args[2]).toAbsolutePath();
        Path motoPythonFile = Path.of(args[3]).toAbsolutePath();
        Path work = Path.of(args[4]).toAbsolutePath();
        Path output = Path.of(args[5]).toAbsolutePath();
        refuseUnsupportedBuild(work);
        if (!Files.exists(functionZip)) {
            fail("no " + functionZip + ": the jvm-aot package is made from the JVM function.zip");
        }
        String motoPython = motoPython(motoPythonFile, root);

        long started = System.nanoTime();
        deleteTree(work);
        Path task = Files.createDirectories(work.resolve("task"));
        jlink(task.resolve("java"));
        List<String> classPath = app(functionZip, ricJars, Files.createDirectories(task.resolve("app")));
        Files.writeString(task.resolve("bootstrap"), Files.readString(root.resolve("function/src/build/jvm-aot/bootstrap"))
                .replace("@CLASS_PATH@", String.join(":", classPath.stream().map(p -> "${TASK}/" + p).toList())));
        setModeAndTimes(task);
        Files.setPosixFilePermissions(task.resolve("bootstrap"), perms("rwxr-xr-x"));

        train(task, work.resolve("training"), root, motoPython);

        long unzipped = writeZip(task, output);
        long zipped = Files.size(output);
        System.out.printf("%s%s: %,d bytes zipped, %,d bytes unzipped (Lambda's limit %,d), runtime image for"
                + " linux-%s, %d s in all%n", TAG, output.getFileName(), zipped, unzipped, UNZIPPED_LIMIT,
                System.getProperty("os.arch"), Duration.ofNanos(System.nanoTime() - started).toSeconds());
        if (unzipped > UNZIPPED_LIMIT) {
            fail("the jvm-aot package unzips to " + unzipped + " bytes, above Lambda's limit of " + UNZIPPED_LIMIT);
        }
    }

    private static void refuseUnsupportedBuild(Path work) {
        int feature = Runtime.version().feature();
        if (feature < 25) {
            fail("the jvm-aot package needs a JDK 25 or later to build (Maven runs Java " + feature + " from "
                    + System.getProperty("java.home") + "): the AOT cache is made by, and only usable with, the JVM"
                    + " of the runtime image, which is this JDK's; set JAVA_HOME to a JDK 25");
        }
        if (!System.getProperty("os.name").equals("Linux")) {
            fail("the jvm-aot package is built on Linux only (this is " + System.getProperty("os.name") + "): its"
                    + " runtime image and AOT cache are the building machine's, and Lambda runs Linux");
        }
        String arch = System.getProperty("os.arch");
        if (!arch.equals("amd64") && !arch.equals("aarch64")) {
            fail("the jvm-aot package is built on x86_64 or aarch64 only, Lambda's architectures (this is " + arch + ")");
        }
        if (ToolProvider.findFirst("jlink").isEmpty()) {
            fail("no jlink in " + System.getProperty("java.home") + ": the jvm-aot package needs a full JDK 25");
        }
        if (work.toString().chars().anyMatch(Character::isWhitespace)) {
            fail("the jvm-aot training cannot run under a path with spaces (" + work + "): JAVA_TOOL_OPTIONS, which"
                    + " gives the training JVM its options, splits at them");
        }
    }

    /** The Python that runs moto's server: the test build's choice (target/moto-python) if made, else python3. */
    private static String motoPython(Path motoPythonFile, Path root) throws IOException, InterruptedException {
        String python = Files.exists(motoPythonFile) ? Files.readString(motoPythonFile).strip() : "python3";
        Path server = root.resolve("function/src/test/python/serial_moto_server.py");
        int exit;
        try {
            Process check = new ProcessBuilder(python, server.toString(), "--check").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            exit = check.waitFor(120, TimeUnit.SECONDS) ? check.exitValue() : -1;
        } catch (IOException e) {
            exit = -1;
        }
        if (exit != 0) {
            fail("the jvm-aot training runs a local DynamoDB engine with moto's server, which " + python + " cannot"
                    + " run: python3 -m pip install \"moto[server]==5.2.1\" (or build once without -DskipTests)");
        }
        return python;
    }

    /** The runtime image: this JDK's modules {@link #MODULES}, without what a function never reads. */
    static void jlink(Path image) {
        ToolProvider jlink = ToolProvider.findFirst("jlink").orElseThrow();
        List<String> args = new ArrayList<>(List.of("--add-modules", String.join(",", MODULES), "--output",
                image.toString()));
        args.addAll(JLINK_OPTIONS);
        StringWriter out = new StringWriter();
        int exit = jlink.run(new PrintWriter(out), new PrintWriter(out), args.toArray(String[]::new));
        if (exit != 0) {
            fail("jlink failed (" + String.join(" ", args) + "): " + out.toString().strip());
        }
    }

    /**
     * The class path's jars in {@code app}: the function's top level as {@code function.jar}, its dependency jar, the
     * Runtime Interface Client's jars; returned in class-path order, relative to the task root.
     */
    static List<String> app(Path functionZip, Path ricJars, Path app) throws IOException {
        List<String> classPath = new ArrayList<>(List.of("app/function.jar", "app/function-dependencies.jar"));
        try (ZipFile zip = new ZipFile(functionZip.toFile())) {
            ZipEntry dependencies = zip.getEntry("lib/function-dependencies.jar");
            if (dependencies == null) {
                fail(functionZip + " holds no lib/function-dependencies.jar: build the JVM package (not -Dnative)");
            }
            try (InputStream in = zip.getInputStream(dependencies)) {
                Files.copy(in, app.resolve("function-dependencies.jar"));
            }
            Files.write(app.resolve("function.jar"), functionJar(zip));
        }
        List<Path> ric;
        try (Stream<Path> files = Files.list(ricJars)) {
            ric = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        if (ric.stream().noneMatch(p -> p.getFileName().toString().startsWith("aws-lambda-java-runtime-interface-client-"))) {
            fail("no aws-lambda-java-runtime-interface-client jar in " + ricJars);
        }
        for (Path jar : ric) {
            Files.copy(jar, app.resolve(jar.getFileName()));
            classPath.add("app/" + jar.getFileName());
        }
        return classPath;
    }

    /**
     * The JVM zip's top level (the function's classes and resources) as a jar, every entry stored, as the dependency
     * jar is: an AOT cache takes classes from jars only, not from a directory. Its manifest loses Class-Path, which
     * names the JVM zip's lib/ jars, relative to a place that no longer has them.
     */
    static byte[] functionJar(ZipFile zip) throws IOException {
        ByteArrayOutputStream result = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(result)) {
            for (ZipEntry entry : zip.stream().toList()) {
                String name = entry.getName();
                if (entry.isDirectory() || name.startsWith("lib/")) {
                    continue;
                }
                byte[] data;
                try (InputStream in = zip.getInputStream(entry)) {
                    data = in.readAllBytes();
                }
                if (name.equals(JarFile.MANIFEST_NAME)) {
                    Manifest manifest = new Manifest(new ByteArrayInputStream(data));
                    manifest.getMainAttributes().remove(Attributes.Name.CLASS_PATH);
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    manifest.write(bytes);
                    data = bytes.toByteArray();
                }
                ZipEntry stored = new ZipEntry(name);
                stored.setTime(FIXED_TIME.toMillis());
                stored.setMethod(ZipEntry.STORED);
                stored.setSize(data.length);
                stored.setCompressedSize(data.length);
                CRC32 crc = new CRC32();
                crc.update(data);
                stored.setCrc(crc.getValue());
                out.putNextEntry(stored);
                out.write(data);
                out.closeEntry();
            }
        }
        return result.toByteArray();
    }

    /**
     * Every file as the zip will give it: a link replaced by a copy of its target (a zip entry is a file), and every
     * time {@link #FIXED_TIME}; modes as jlink and this program made them.
     */
    static void setModeAndTimes(Path task) throws IOException {
        for (Path path : tree(task)) {
            if (Files.isSymbolicLink(path)) {
                Path target = path.toRealPath();
                Files.delete(path);
                Files.copy(target, path);
                Files.setPosixFilePermissions(path, Files.getPosixFilePermissions(target));
            }
        }
        for (Path path : tree(task)) {
            if (!Files.isDirectory(path)) {
                Files.setPosixFilePermissions(path, readable(Files.getPosixFilePermissions(path)));
            }
            Files.setLastModifiedTime(path, FIXED_TIME);
        }
        Files.setLastModifiedTime(task, FIXED_TIME);
    }

    /** A file readable by everyone: Lambda runs the function as a user other than the files' owner. */
    private static Set<PosixFilePermission> readable(Set<PosixFilePermission> perms) {
        Set<PosixFilePermission> result = new java.util.HashSet<>(perms);
        result.addAll(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OTHERS_READ));
        return result;
    }

    /** The training run (see the class comment); the cache is {@code task/app.aot} when it succeeds. */
    static void train(Path task, Path training, Path root, String motoPython) throws Exception {
        Files.createDirectories(training);
        Tls tls = Tls.create(training.resolve("tls"), task.resolve("java"));
        Path log = training.resolve("function.log");
        Path result = training.resolve("result.json");
        Path cache = task.resolve("app.aot");
        // Classes loaded and linked, without the method profiles (JEP 515): the bootstrap's JVM compiles with C1 alone
        // (TieredStopAtLevel=1), whose code uses no profile, and replaying them at start cost time and memory.
        // Measured on the package, 8 alternating cold starts each (medians, machine CPU): init 641 against 727 ms,
        // first invocation 27 against 33 ms, warm p99 6.2 against 7.2 ms, max RSS 106 against 110 MiB; warm p50
        // 1.51 against 1.21 ms; the cache 57.0 against 60.9 MB.
        String toolOptions = String.join(" ", "-XX:AOTCacheOutput=" + cache,
                "-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTRecordTraining",
                "-Djavax.net.ssl.trustStore=" + tls.trustStore(), "-Djavax.net.ssl.trustStorePassword=" + STORE_PASSWORD,
                // The JVM's messages about the cache, which the bootstrap keeps off the log, for a failed training.
                "-Xlog:aot*=warning:file=" + training.resolve("jvm-aot.log") + ":uptime,level,tags");
        // moto's Python runs the driver too: it has boto3, which the driver needs for the records table.
        List<String> command = new ArrayList<>(List.of(motoPython, root.resolve("bench/cold-start/runtime_api.py").toString(),
                "--label", "jvm-aot-training", "--runtime", "provided.al2023", "--task-root", task.toString(),
                "--events", root.resolve("function/src/build/jvm-aot/training-events.json").toString(),
                "--warm", String.valueOf(TRAINING_INVOCATIONS - 1),
                "--tls-cert", tls.certificate().toString(), "--tls-key", tls.key().toString(),
                "--records-table", "training-records", "--moto-python", motoPython,
                "--init-timeout", "120", "--invoke-timeout", "60", "--stop-timeout", "300",
                "--log", log.toString(), "--out", result.toString()));
        for (String env : List.of("VERIFY_UPSTREAM=live", "VERIFY_API_BASE_URL={api}",
                "VERIFY_TOKEN_SECRET_ID=bench-token", "AWS_ENDPOINT_URL_SECRETS_MANAGER={sm}",
                "AWS_ENDPOINT_URL_DYNAMODB={dynamodb}", "VERIFY_RECORDS_TABLE=training-records",
                "VERIFY_DAILY_BUDGET=100000000", "VERIFY_CALLER_DAILY_BUDGET=100000000",
                // The bootstrap's file for the JVM's cache messages goes here, not to the machine's /tmp: the JVM
                // that writes the cache at exit makes it again after the function has read and removed it.
                "TMPDIR=" + training,
                "JAVA_TOOL_OPTIONS=" + toolOptions)) {
            command.addAll(List.of("--function-env", env));
        }
        command.addAll(List.of("--", task.resolve("bootstrap").toString()));

        System.out.printf("%straining: %d invocations of the package's bootstrap over HTTPS fakes (log: %s)%n", TAG,
                TRAINING_INVOCATIONS, log);
        long started = System.nanoTime();
        Path driverLog = training.resolve("driver.log");
        Process driver = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(driverLog.toFile()).start();
        driver.getOutputStream().close();
        if (!driver.waitFor(15, TimeUnit.MINUTES)) {
            driver.destroy();
            driver.waitFor(30, TimeUnit.SECONDS);
            fail("the jvm-aot training did not end within 15 minutes; see " + log);
        }
        String outcome = Files.exists(result) ? Files.readString(result) : "";
        if (driver.exitValue() != 0 || !outcome.contains("\"ok\": true")) {
            fail("the jvm-aot training failed (" + firstLine(Files.readString(driverLog)) + "); see " + log + " and "
                    + driverLog);
        }
        if (!outcome.contains("\"exit_code\": 143") && !outcome.contains("\"exit_code\": 0")) {
            fail("the jvm-aot training's JVM did not exit normally, so it wrote no AOT cache; see " + log + " and "
                    + training.resolve("jvm-aot.log"));
        }
        if (!Files.exists(cache) || Files.size(cache) == 0) {
            fail("the jvm-aot training wrote no AOT cache; see " + training.resolve("jvm-aot.log") + " and " + log);
        }
        setModeAndTimes(task);
        System.out.printf("%strained in %d s: %s; app.aot %,d bytes%n", TAG,
                Duration.ofNanos(System.nanoTime() - started).toSeconds(), answers(outcome), Files.size(cache));
    }

    private static String firstLine(String text) {
        return text.lines().filter(l -> !l.isBlank()).findFirst().orElse("no output");
    }

    /** How many answers the driver counted, and of how many kinds (each as its case expects). */
    private static String answers(String resultJson) {
        int start = resultJson.indexOf("\"answers\"");
        if (start < 0) {
            return "answers not counted";
        }
        String counts = resultJson.substring(resultJson.indexOf('{', start), resultJson.indexOf('}', start));
        List<Integer> perKind = java.util.regex.Pattern.compile(": (\\d+)").matcher(counts).results()
                .map(m -> Integer.parseInt(m.group(1))).toList();
        return perKind.stream().mapToInt(Integer::intValue).sum() + " answers of " + perKind.size()
                + " kinds, each as its case expects";
    }

    /**
     * The zip: {@code bootstrap}, {@code java/}, {@code app/}, {@code app.aot}, each tree in name order, every entry
     * with its file's Unix mode and {@link #FIXED_TIME}. Returns the unzipped size.
     */
    static long writeZip(Path task, Path output) throws IOException {
        Files.deleteIfExists(output);
        List<Path> order = new ArrayList<>();
        order.add(task.resolve("bootstrap"));
        order.addAll(tree(task.resolve("java")));
        order.addAll(tree(task.resolve("app")));
        order.add(task.resolve("app.aot"));
        long unzipped = 0;
        URI uri = URI.create("jar:" + output.toUri());
        try (FileSystem zip = FileSystems.newFileSystem(uri, Map.of("create", "true", "enablePosixFileAttributes", "true"))) {
            for (Path path : order) {
                Path entry = zip.getPath(task.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(entry);
                } else {
                    Files.copy(path, entry);
                    unzipped += Files.size(path);
                }
                Files.setPosixFilePermissions(entry, Files.getPosixFilePermissions(path));
                Files.getFileAttributeView(entry, BasicFileAttributeView.class).setTimes(FIXED_TIME, FIXED_TIME, FIXED_TIME);
            }
        }
        addFileTypes(output);
        return unzipped;
    }

    /**
     * Adds the file type to each entry's Unix mode in the zip's central directory (regular file or directory), which
     * the zip file system leaves out: zip and unzip write and expect it, and an unpacker that reads the mode as a
     * whole should not find a file of no type.
     */
    static void addFileTypes(Path zip) throws IOException {
        byte[] bytes = Files.readAllBytes(zip);
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int end = bytes.length - 22; // the end record, the zip having no comment
        if (buffer.getInt(end) != 0x06054b50) {
            throw new IOException(zip + ": no end of central directory where expected");
        }
        int entries = Short.toUnsignedInt(buffer.getShort(end + 10));
        int at = buffer.getInt(end + 16);
        for (int i = 0; i < entries; i++) {
            if (buffer.getInt(at) != 0x02014b50) {
                throw new IOException(zip + ": central directory entry " + i + " not where expected");
            }
            int nameLength = Short.toUnsignedInt(buffer.getShort(at + 28));
            String name = new String(bytes, at + 46, nameLength, StandardCharsets.UTF_8);
            int mode = buffer.getInt(at + 38) >>> 16;
            int type = name.endsWith("/") ? 0040000 : 0100000;
            buffer.putInt(at + 38, ((mode & 07777) | type) << 16);
            at += 46 + nameLength + Short.toUnsignedInt(buffer.getShort(at + 30))
                    + Short.toUnsignedInt(buffer.getShort(at + 32));
        }
        Files.write(zip, bytes);
    }

    /** A tree's paths in name order, itself first. */
    private static List<Path> tree(Path top) throws IOException {
        try (Stream<Path> paths = Files.walk(top)) {
            return paths.sorted(Comparator.comparing(Path::toString)).toList();
        }
    }

    private static Set<PosixFilePermission> perms(String text) {
        return java.nio.file.attribute.PosixFilePermissions.fromString(text);
    }

    private static void deleteTree(Path top) throws IOException {
        if (!Files.exists(top)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(top)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static void fail(String line) {
        System.err.println(TAG + line);
        System.exit(1);
    }

    /**
     * The training's throwaway TLS material: a key pair and self-signed certificate for 127.0.0.1 (keytool), as PEM
     * files for the fakes, and a trust store for the training JVM holding the runtime image's CA certificates and it.
     */
    record Tls(Path certificate, Path key, Path trustStore) {
        static Tls create(Path dir, Path image) throws Exception {
            Files.createDirectories(dir);
            Path keyStore = dir.resolve("fakes.p12");
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "fakes", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2",
                    "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD)
                    .redirectErrorStream(true).start();
            String keytoolOutput = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                fail("keytool could not make the training's throwaway certificate: " + keytoolOutput.strip());
            }
            KeyStore store = KeyStore.getInstance(keyStore.toFile(), STORE_PASSWORD.toCharArray());
            Key key = store.getKey("fakes", STORE_PASSWORD.toCharArray());
            Certificate certificate = store.getCertificate("fakes");
            Path certificatePem = Files.writeString(dir.resolve("cert.pem"), pem("CERTIFICATE", certificate.getEncoded()));
            Path keyPem = Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", ((PrivateKey) key).getEncoded()));
            KeyStore trust = KeyStore.getInstance(image.resolve("lib/security/cacerts").toFile(),
                    STORE_PASSWORD.toCharArray());
            trust.setCertificateEntry("throwaway-training-fakes", certificate);
            Path trustStore = dir.resolve("truststore.p12");
            try (var out = Files.newOutputStream(trustStore)) {
                trust.store(out, STORE_PASSWORD.toCharArray());
            }
            return new Tls(certificatePem, keyPem, trustStore);
        }

        private static String pem(String type, byte[] der) {
            return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                    + "\n-----END " + type + "-----\n";
        }
    }
}
