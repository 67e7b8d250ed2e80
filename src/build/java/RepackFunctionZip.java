import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Build step that keeps the JVM function.zip small, run by Maven in {@code package} right after Quarkus
 * has written {@code target/function.zip}. It rewrites the zip in three ways; none changes what the function runs.
 *
 * <p><b>1. Bouncy Castle, shrunk to what the function can reach.</b> bcprov is 8.3 MB, a third of the zip, and the
 * function uses a few dozen lightweight-API classes of it (SM2, SM4-GCM, the GM curves, ASN.1 for key parsing; see
 * {@code cloud.phonematch.verify.crypto}). The JCA provider, post-quantum algorithms, X.509 helpers and their data
 * files are never loaded. Quarkus can drop whole artifacts ({@code quarkus.class-loading.removed-artifacts}, used
 * for the jars the function never touches) but removes resources only by exact path, and its tree-shaking arrives
 * after the Quarkus version this project is on. So: {@code jdeps} (from the JDK running Maven) lists, class by
 * class, what the function's own classes reference in Bouncy Castle and what every Bouncy Castle class references;
 * the kept set is the transitive closure from the function's references, with the nested classes of every kept
 * class and their Java 9+ multi-release variants. Dropped as well: the jar signature (its digests no longer
 * describe the jar; the function never registers Bouncy Castle as a JCA provider, the one use that needs it), the
 * provider's service registration and the OSGi package lists. A reference made only by reflection would be
 * missed; {@code TrimmedBouncyCastleIT} therefore runs every encryption the function offers against the trimmed
 * jar, isolated from the full one, and decrypts the result with the full one.
 *
 * <p><b>2. One dependency jar, stored; the zip compressed.</b> The jars in {@code lib/} become one,
 * {@code lib/function-dependencies.jar}, with every entry stored. Lambda's Java runtime puts every jar of
 * {@code lib/} on its class loader's path, and a lookup that misses (service files, optional classes) opens all
 * of them; each open jar keeps its directory, hash table and manifest on the heap for the life of the
 * environment. With one jar that is paid once: about 1 MiB less resident memory and a shorter init (BENCHMARKS.md).
 * What the merge does, so the merged jar behaves as the jars did:
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
 * at each: about half the size of Quarkus's zip to upload and for Lambda to fetch on a cold start, and class
 * loading reads without inflating. The unpacked size in {@code /var/task} grows accordingly (well within Lambda's
 * 250 MB). {@code FunctionZipIT} checks the merge against the jars Maven resolved, and {@code PackagedFunctionIT}
 * runs the packaged function under Lambda's Runtime Interface Client.
 *
 * <p><b>3. The dev-only local HTTP API left out.</b> {@code cloud.phonematch.verify.localgateway} serves
 * {@code ./mvnw quarkus:dev} only: its one bean is {@code @IfBuildProfile("dev")}, so Quarkus leaves it out of this
 * build, but its classes stay in the application's index and jar, and Quarkus lists every indexed class for loading
 * and initializing at init ({@code META-INF/quarkus-generated-preload-classes.txt}, which SnapStart uses). So the
 * package's classes are dropped from the zip and their lines from that list: a Lambda init neither loads them nor
 * tries to. {@code FunctionZipIT} checks both, and {@code PackagedFunctionIT} that the function still runs.
 *
 * <p>A native build's zip holds no jars: the step then says so and changes nothing (native-image does its own
 * reachability analysis).
 *
 * <p>Usage: {@code java RepackFunctionZip.java <function.zip> <the function's classes directory>}
 */
public final class RepackFunctionZip {
    private static final Pattern BC_JAR = Pattern.compile("lib/org\\.bouncycastle\\.bcprov-[^/]+\\.jar");
    private static final Pattern JDEPS_EDGE =
            Pattern.compile("^\\s+(?:\\d+/)?(\\S+)\\s+->\\s+(?:\\d+/)?(org\\.bouncycastle\\.\\S+)\\s");
    private static final Pattern VERSIONED = Pattern.compile("^META-INF/versions/\\d+/(.+)$");
    private static final Pattern SIGNATURE = Pattern.compile("^META-INF/[^/]+\\.(SF|RSA|DSA|EC)$");
    private static final Set<String> OSGI_WIRING = Set.of("Import-Package", "Export-Package", "Require-Capability");
    private static final long DOS_EPOCH = 315_532_800_000L; // 1980-01-01T00:00:00Z
    static final String MERGED_JAR = "lib/function-dependencies.jar";
    private static final String SERVICES = "META-INF/services/";
    private static final String KEPT_COPIES = "META-INF/function-dependencies/";
    /** The dev-only package (see the class comment, 3.), as a path prefix. */
    static final String DEV_ONLY_PACKAGE = "cloud/phonematch/verify/localgateway/";
    /** The classes Quarkus loads and initializes at init, one binary name a line. */
    static final String PRELOAD_LIST = "META-INF/quarkus-generated-preload-classes.txt";
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
            System.err.println("usage: java RepackFunctionZip.java <function.zip> <classes directory>");
            System.exit(2);
        }
        Path zip = Path.of(args[0]);
        Path classes = Path.of(args[1]);
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
        Path work = Files.createTempDirectory("repack-function-zip");
        try {
            String bcEntry = names.stream().filter(n -> BC_JAR.matcher(n).matches()).findFirst().orElse(null);
            byte[] trimmedBc = bcEntry == null ? null : shrunkBouncyCastle(zip, bcEntry, classes, work);
            long zipBefore = Files.size(zip);
            rewrite(zip, bcEntry, trimmedBc, work.resolve("function.zip"));
            System.out.printf("[repack-function-zip] jars merged into %s (stored), zip deflated: function.zip"
                    + " %,d -> %,d bytes%n", MERGED_JAR, zipBefore, Files.size(zip));
        } finally {
            deleteTree(work);
        }
    }

    private static byte[] shrunkBouncyCastle(Path zip, String bcEntry, Path classes, Path work) throws IOException {
        Path original = work.resolve("bcprov.jar");
        try (ZipFile in = new ZipFile(zip.toFile()); InputStream jar = in.getInputStream(in.getEntry(bcEntry))) {
            Files.copy(jar, original);
        }
        Set<String> roots = references(List.of("-cp", original.toString(), classes.toString()));
        if (roots.isEmpty()) {
            throw new IllegalStateException("the function's classes in " + classes
                    + " reference no Bouncy Castle class: wrong directory, or remove the dependency");
        }
        Path trimmed = work.resolve("bcprov-trimmed.jar");
        Counts counts = writeTrimmed(original, trimmed, closure(roots, graph(original)));
        System.out.printf("[repack-function-zip] %s: %,d of %,d classes kept (closure of the %d the function uses),"
                + " %,d -> %,d bytes%n", bcEntry, counts.keptClasses, counts.allClasses, roots.size(),
                Files.size(original), Files.size(trimmed));
        return Files.readAllBytes(trimmed);
    }

    /** Every Bouncy Castle class that the given classes reference, per {@code jdeps -verbose:class}. */
    private static Set<String> references(List<String> jdepsTargets) {
        Set<String> targets = new TreeSet<>();
        for (String line : jdeps(jdepsTargets)) {
            Matcher edge = JDEPS_EDGE.matcher(line);
            if (edge.find() && !edge.group(1).startsWith("org.bouncycastle.")) {
                targets.add(edge.group(2));
            }
        }
        return targets;
    }

    /** Class-to-class references inside the Bouncy Castle jar (multi-release variants folded together). */
    private static Map<String, Set<String>> graph(Path jar) {
        Map<String, Set<String>> edges = new HashMap<>();
        for (String line : jdeps(List.of(jar.toString()))) {
            Matcher edge = JDEPS_EDGE.matcher(line);
            if (edge.find()) {
                edges.computeIfAbsent(edge.group(1), k -> new HashSet<>()).add(edge.group(2));
            }
        }
        return edges;
    }

    private static List<String> jdeps(List<String> targets) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps")
                .orElseThrow(() -> new IllegalStateException("jdeps is not in this JDK (" + System.getProperty("java.home") + ")"));
        List<String> args = new ArrayList<>(List.of("-verbose:class", "-filter:none", "--multi-release", "21"));
        args.addAll(targets);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        if (rc != 0) {
            throw new IllegalStateException("jdeps " + args + " exited " + rc + ": " + err);
        }
        return out.toString().lines().toList();
    }

    private static Set<String> closure(Set<String> roots, Map<String, Set<String>> edges) {
        Set<String> seen = new HashSet<>(roots);
        Deque<String> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            for (String next : edges.getOrDefault(todo.pop(), Set.of())) {
                if (seen.add(next)) {
                    todo.push(next);
                }
            }
        }
        return seen;
    }

    private record Counts(int allClasses, int keptClasses) {
    }

    private static Counts writeTrimmed(Path original, Path trimmed, Set<String> kept) throws IOException {
        Set<String> keptDirectories = new HashSet<>();
        for (String cls : kept) {
            keptDirectories.add(cls.substring(0, cls.lastIndexOf('.') + 1).replace('.', '/'));
        }
        int all = 0;
        int keptClasses = 0;
        try (JarFile in = new JarFile(original.toFile(), false);
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(trimmed))) {
            out.setLevel(Deflater.BEST_COMPRESSION);
            copy(out, new ZipEntry(JarFile.MANIFEST_NAME), manifestBytes(in.getManifest()));
            Enumeration<? extends ZipEntry> entries = in.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (entry.isDirectory() || name.equals(JarFile.MANIFEST_NAME)) {
                    continue;
                }
                Matcher versioned = VERSIONED.matcher(name);
                String logical = versioned.matches() ? versioned.group(1) : name;
                boolean keep;
                if (logical.endsWith(".class")) {
                    if (logical.equals("module-info.class")) {
                        continue; // the function runs on the class path; the descriptor would list dropped packages
                    }
                    all++;
                    String cls = logical.substring(0, logical.length() - ".class".length()).replace('/', '.');
                    int nested = cls.indexOf('$');
                    keep = kept.contains(cls) || (nested > 0 && kept.contains(cls.substring(0, nested)));
                    if (keep) {
                        keptClasses++;
                    }
                } else {
                    keep = !SIGNATURE.matcher(name).matches() && !name.startsWith("META-INF/")
                            && keptDirectories.contains(logical.substring(0, logical.lastIndexOf('/') + 1));
                }
                if (keep) {
                    try (InputStream data = in.getInputStream(entry)) {
                        ZipEntry copy = new ZipEntry(name);
                        copy.setTime(entry.getTime());
                        copy(out, copy, data.readAllBytes());
                    }
                }
            }
        }
        return new Counts(all, keptClasses);
    }

    /** The main attributes (Multi-Release among them) without the OSGi package wiring, which no longer holds. */
    private static byte[] manifestBytes(Manifest original) throws IOException {
        Manifest manifest = new Manifest();
        for (Map.Entry<Object, Object> attribute : original.getMainAttributes().entrySet()) {
            if (!OSGI_WIRING.contains(attribute.getKey().toString())) {
                manifest.getMainAttributes().put(attribute.getKey(), attribute.getValue());
            }
        }
        manifest.getMainAttributes().putValue("X-Shrunk-By",
                "RepackFunctionZip (the function's build): classes the function cannot reach were removed");
        manifest.getMainAttributes().putIfAbsent(Attributes.Name.MANIFEST_VERSION, "1.0");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        manifest.write(bytes);
        return bytes.toByteArray();
    }

    private static void copy(ZipOutputStream out, ZipEntry entry, byte[] data) throws IOException {
        out.putNextEntry(entry);
        out.write(data);
        out.closeEntry();
    }

    /**
     * Rewrites the zip, deflated at the highest level: the jars of {@code lib/} (Bouncy Castle trimmed) merged into
     * one where the first of them was, the dev-only package left out, everything else as it was; names, order and
     * times are kept.
     */
    private static void rewrite(Path zip, String bcEntry, byte[] trimmedBc, Path scratch) throws IOException {
        int devOnly = 0;
        try (ZipFile in = new ZipFile(zip.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(scratch))) {
            out.setLevel(Deflater.BEST_COMPRESSION);
            List<ZipEntry> all = in.stream().map(ZipEntry.class::cast).toList();
            List<ZipEntry> jars = all.stream().filter(RepackFunctionZip::isDependencyJar).toList();
            for (ZipEntry entry : all) {
                if (isDependencyJar(entry) && entry != jars.get(0)) {
                    continue;
                }
                if (entry.getName().startsWith(DEV_ONLY_PACKAGE)) {
                    devOnly += entry.isDirectory() ? 0 : 1;
                    continue;
                }
                byte[] data;
                String name = entry.getName();
                if (entry == jars.get(0)) {
                    Merge merge = new Merge();
                    for (ZipEntry jar : jars) {
                        merge.add(jar.getName().substring("lib/".length()),
                                jar.getName().equals(bcEntry) ? trimmedBc : read(in, jar));
                    }
                    data = merge.toJar();
                    name = MERGED_JAR;
                    System.out.printf("[repack-function-zip] %d jars merged: %,d entries, %,d service files joined,"
                            + " %,d identical duplicates stored once, %,d differing licence or metadata files kept"
                            + " per jar%n", jars.size(), merge.entries.size(), merge.services.size(),
                            merge.identical, merge.keptCopies);
                } else if (name.equals(PRELOAD_LIST)) {
                    data = withoutDevOnlyClasses(read(in, entry));
                } else {
                    data = read(in, entry);
                }
                ZipEntry copy = new ZipEntry(name);
                copy.setTime(entry.getTime());
                copy(out, copy, data);
            }
        }
        Files.move(scratch, zip, StandardCopyOption.REPLACE_EXISTING);
        System.out.printf("[repack-function-zip] %d dev-only files of %s left out, and their lines of %s%n", devOnly,
                DEV_ONLY_PACKAGE, PRELOAD_LIST);
    }

    private static byte[] withoutDevOnlyClasses(byte[] preloadList) {
        String devOnlyClasses = DEV_ONLY_PACKAGE.replace('/', '.');
        StringBuilder kept = new StringBuilder();
        new String(preloadList, StandardCharsets.UTF_8).lines().filter(line -> !line.startsWith(devOnlyClasses))
                .forEach(line -> kept.append(line).append(System.lineSeparator()));
        return kept.toString().getBytes(StandardCharsets.UTF_8);
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

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
