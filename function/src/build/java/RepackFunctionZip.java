import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Build step that keeps the JVM function.zip small, run by Maven in {@code package} right after Quarkus has written
 * {@code target/function.zip} and the Maven Shade plugin has written the minimized Bouncy Castle (pom.xml says how
 * and why). It rewrites the zip; nothing it changes alters what the function runs.
 *
 * <p><b>One dependency jar, stored; the zip compressed.</b> The jars in {@code lib/} become one,
 * {@code lib/function-dependencies.jar}, with every entry stored, and Bouncy Castle's classes come from the minimized
 * jar instead of the full bcprov. Lambda's Java runtime puts every jar of {@code lib/} on its class loader's path, and
 * a lookup that misses (service files, optional classes) opens all of them; each open jar keeps its directory, hash
 * table and manifest on the heap for the life of the environment. With one jar that is paid once: about 1 MiB less
 * resident memory and a shorter init (BENCHMARKS.md). What the merge does, so the merged jar behaves as the jars did:
 * <ul>
 * <li>service registrations ({@code META-INF/services/*}) of all jars are joined, line by line, in jar order;</li>
 * <li>multi-release variants are kept, and the jar is multi-release, when their jar was (none other has any);</li>
 * <li>left out: the jars' manifests, {@code INDEX.LIST} (it would describe one jar's packages as all of them),
 * module descriptors (the function runs on the class path) and signatures;</li>
 * <li>a path several jars hold with the same bytes is stored once; one held with different bytes is allowed only
 * for licence texts and metadata read at build time (Quarkus's extension and config descriptions, Jandex indexes,
 * Netty's version list): the first jar's copy stays at the path and every jar's copy is kept under
 * {@code META-INF/function-dependencies/<jar>/}, so no notice is lost. Any other clash fails the build, naming
 * the path and the jars, since either copy could be the wrong one.</li>
 * </ul>
 * The zip then deflates the one jar as one stream, so compression spans similar class files instead of restarting
 * at each: about 30 % less to upload and for Lambda to fetch on a cold start than Quarkus's zip of compressed jars,
 * and class loading reads without inflating. The unpacked size in {@code /var/task} grows accordingly (well within
 * Lambda's 250 MB). The Maven Shade plugin can merge jars too, but not as this merge does (bench/results/history/
 * 2026-11-30-repack-step.md): it writes every entry compressed, keeps one licence text of several, and lets a clash pass with
 * a warning. {@code FunctionZipIT} checks the merge against the jars Quarkus resolved, {@code TrimmedBouncyCastleIT}
 * the Bouncy Castle in it, and {@code PackagedFunctionIT} runs the packaged function under Lambda's Runtime Interface
 * Client.
 *
 * <p>A native build's zip holds no jars: the step then says so and changes nothing (native-image does its own
 * reachability analysis).
 *
 * <p>Usage: {@code java RepackFunctionZip.java <function.zip> <minimized Bouncy Castle jar>}
 */
public final class RepackFunctionZip {
    private static final Pattern BC_JAR = Pattern.compile("lib/org\\.bouncycastle\\.bcprov-[^/]+\\.jar");
    private static final Pattern VERSIONED = Pattern.compile("^META-INF/versions/\\d+/(.+)$");
    private static final Pattern SIGNATURE = Pattern.compile("^META-INF/[^/]+\\.(SF|RSA|DSA|EC)$");
    private static final long DOS_EPOCH = 315_532_800_000L; // 1980-01-01T00:00:00Z
    static final String MERGED_JAR = "lib/function-dependencies.jar";
    private static final String SERVICES = "META-INF/services/";
    private static final String KEPT_COPIES = "META-INF/function-dependencies/";
    /** Entries of a dependency jar that the merged jar leaves out, besides signatures (see the class comment). */
    private static final Pattern LEFT_OUT = Pattern.compile(
            "^(META-INF/MANIFEST\\.MF|META-INF/INDEX\\.LIST|(META-INF/versions/\\d+/)?module-info\\.class)$");
    /** Paths several jars may hold with different bytes: licence texts and metadata only builds read. */
    private static final Pattern MAY_DIFFER = Pattern.compile(
            "^META-INF/([^/]*(LICENSE|NOTICE|DEPENDENCIES)[^/]*|quarkus-[^/]+|quarkus-config-doc/[^/]+|jandex\\.idx"
                    + "|io\\.netty\\.versions\\.properties)$", Pattern.CASE_INSENSITIVE);

    private RepackFunctionZip() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java RepackFunctionZip.java <function.zip> <minimized Bouncy Castle jar>");
            System.exit(2);
        }
        Path zip = Path.of(args[0]);
        Path minimizedBc = Path.of(args[1]);
        if (!Files.exists(zip)) {
            System.out.println("[repack-function-zip] no " + zip + " (this build packages no function): nothing to do");
            return;
        }
        List<String> names;
        try (ZipFile in = new ZipFile(zip.toFile())) {
            names = in.stream().map(ZipEntry::getName).toList();
        }
        if (names.stream().noneMatch(n -> n.endsWith(".jar"))) {
            System.out.println("[repack-function-zip] " + zip + " holds no jar (a native build): unchanged");
            return;
        }
        String bcEntry = names.stream().filter(n -> BC_JAR.matcher(n).matches()).findFirst()
                .orElseThrow(() -> new IllegalStateException(zip + " holds no lib/org.bouncycastle.bcprov-*.jar for "
                        + minimizedBc + " to replace"));
        byte[] bc = Files.readAllBytes(minimizedBc);
        long bcClasses;
        try (ZipFile jar = new ZipFile(minimizedBc.toFile())) {
            bcClasses = jar.stream().filter(e -> e.getName().endsWith(".class")).count();
        }
        long zipBefore = Files.size(zip);
        rewrite(zip, bcEntry, bc, zip.resolveSibling(zip.getFileName() + ".repack"));
        System.out.printf("[repack-function-zip] %s replaced by %s (%,d classes, %,d bytes); jars merged into %s"
                + " (stored), zip deflated: function.zip %,d -> %,d bytes%n", bcEntry, minimizedBc.getFileName(),
                bcClasses, bc.length, MERGED_JAR, zipBefore, Files.size(zip));
    }

    private static void copy(ZipOutputStream out, ZipEntry entry, byte[] data) throws IOException {
        out.putNextEntry(entry);
        out.write(data);
        out.closeEntry();
    }

    /**
     * Rewrites the zip, deflated at the highest level: the jars of {@code lib/} (Bouncy Castle replaced by the given
     * bytes) merged into one where the first of them was, everything else as it was; names, order and times are kept.
     */
    private static void rewrite(Path zip, String bcEntry, byte[] bc, Path scratch) throws IOException {
        try {
            try (ZipFile in = new ZipFile(zip.toFile());
                    ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(scratch))) {
                out.setLevel(Deflater.BEST_COMPRESSION);
                List<ZipEntry> all = in.stream().map(ZipEntry.class::cast).toList();
                List<ZipEntry> jars = all.stream().filter(RepackFunctionZip::isDependencyJar).toList();
                for (ZipEntry entry : all) {
                    if (isDependencyJar(entry) && entry != jars.get(0)) {
                        continue;
                    }
                    byte[] data;
                    String name = entry.getName();
                    if (entry == jars.get(0)) {
                        Merge merge = new Merge();
                        for (ZipEntry jar : jars) {
                            merge.add(jar.getName().substring("lib/".length()),
                                    jar.getName().equals(bcEntry) ? bc : read(in, jar));
                        }
                        data = merge.toJar();
                        name = MERGED_JAR;
                        System.out.printf("[repack-function-zip] %d jars merged: %,d entries, %,d service files"
                                + " joined, %,d identical duplicates stored once, %,d differing licence or metadata"
                                + " files kept per jar%n", jars.size(), merge.entries.size(), merge.services.size(),
                                merge.identical, merge.keptCopies);
                    } else {
                        data = read(in, entry);
                    }
                    ZipEntry copy = new ZipEntry(name);
                    copy.setTime(entry.getTime());
                    copy(out, copy, data);
                }
            }
            Files.move(scratch, zip, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(scratch);
        }
    }

    private static boolean isDependencyJar(ZipEntry entry) {
        return entry.getName().startsWith("lib/") && entry.getName().endsWith(".jar");
    }

    private static byte[] read(ZipFile zip, ZipEntry entry) throws IOException {
        try (InputStream stream = zip.getInputStream(entry)) {
            return stream.readAllBytes();
        }
    }

    /** The merged dependency jar, built jar by jar in class-path order (see the class comment). */
    private static final class Merge {
        /** Path to bytes, in the order first seen. */
        final Map<String, byte[]> entries = new LinkedHashMap<>();
        /** Which jar each path came from, for the error naming a clash. */
        final Map<String, String> origin = new HashMap<>();
        final Map<String, Set<String>> services = new LinkedHashMap<>();
        boolean multiRelease;
        int identical;
        int keptCopies;

        void add(String jarName, byte[] jar) throws IOException {
            Map<String, byte[]> jarEntries = new LinkedHashMap<>();
            try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(jar))) {
                for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                    byte[] data = in.readAllBytes();
                    if (!entry.isDirectory()) {
                        jarEntries.put(entry.getName(), data);
                    }
                }
            }
            boolean jarIsMultiRelease = isMultiRelease(jarEntries.get(JarFile.MANIFEST_NAME));
            multiRelease |= jarIsMultiRelease;
            for (Map.Entry<String, byte[]> entry : jarEntries.entrySet()) {
                String path = entry.getKey();
                byte[] data = entry.getValue();
                if (LEFT_OUT.matcher(path).matches() || SIGNATURE.matcher(path).matches()
                        || (!jarIsMultiRelease && VERSIONED.matcher(path).matches())) {
                    continue;
                }
                if (path.startsWith(SERVICES) && path.indexOf('/', SERVICES.length()) < 0) {
                    Set<String> lines = services.computeIfAbsent(path, k -> new LinkedHashSet<>());
                    new String(data, StandardCharsets.UTF_8).lines().map(l -> l.replaceFirst("#.*", "").strip())
                            .filter(l -> !l.isEmpty()).forEach(lines::add);
                    continue;
                }
                byte[] earlier = entries.get(path);
                if (earlier == null) {
                    entries.put(path, data);
                    origin.put(path, jarName);
                } else if (Arrays.equals(earlier, data)) {
                    identical++;
                } else if (MAY_DIFFER.matcher(path).matches()) {
                    keepCopy(origin.get(path), path, earlier);
                    keepCopy(jarName, path, data);
                } else {
                    throw new IllegalStateException(path + " is in " + origin.get(path) + " and in " + jarName
                            + " with different bytes: merging the jars would drop one of them");
                }
            }
        }

        private void keepCopy(String jarName, String path, byte[] data) {
            if (entries.putIfAbsent(KEPT_COPIES + jarName + "/" + path, data) == null) {
                keptCopies++;
            }
        }

        private static boolean isMultiRelease(byte[] manifest) throws IOException {
            return manifest != null && "true".equalsIgnoreCase(new Manifest(new ByteArrayInputStream(manifest))
                    .getMainAttributes().getValue(Attributes.Name.MULTI_RELEASE));
        }

        /** The jar: a manifest, then every entry stored (the zip around it compresses). */
        byte[] toJar() throws IOException {
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            if (multiRelease) {
                manifest.getMainAttributes().put(Attributes.Name.MULTI_RELEASE, "true");
            }
            manifest.getMainAttributes().putValue("X-Merged-By",
                    "RepackFunctionZip (the function's build): the function's dependency jars as one");
            ByteArrayOutputStream manifestBytes = new ByteArrayOutputStream();
            manifest.write(manifestBytes);
            ByteArrayOutputStream result = new ByteArrayOutputStream();
            try (ZipOutputStream out = new ZipOutputStream(result)) {
                stored(out, JarFile.MANIFEST_NAME, manifestBytes.toByteArray());
                for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                    stored(out, entry.getKey(), entry.getValue());
                }
                for (Map.Entry<String, Set<String>> service : services.entrySet()) {
                    stored(out, service.getKey(),
                            (String.join("\n", service.getValue()) + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            return result.toByteArray();
        }

        private static void stored(ZipOutputStream out, String name, byte[] data) throws IOException {
            ZipEntry stored = new ZipEntry(name);
            stored.setTime(DOS_EPOCH); // a fixed time: the same dependencies give the same jar
            stored.setMethod(ZipEntry.STORED);
            stored.setSize(data.length);
            stored.setCompressedSize(data.length);
            CRC32 crc = new CRC32();
            crc.update(data);
            stored.setCrc(crc.getValue());
            copy(out, stored, data);
        }
    }
}
