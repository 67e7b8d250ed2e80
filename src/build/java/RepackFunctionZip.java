import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
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
 * Build step (issue 4, "keep the JVM function.zip small"), run by Maven in {@code package} right after Quarkus
 * has written {@code target/function.zip}. It rewrites the zip in two ways; neither changes what the function runs.
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
 * <p><b>2. Jars stored, the zip compressed.</b> Every jar in {@code lib/} is rewritten with its entries stored
 * (same bytes, same order, same times, signatures still valid) and the zip deflates each jar as one stream, so
 * that compression spans the similar class files of a jar instead of restarting at each one: about a quarter
 * smaller to upload and for Lambda to fetch on a cold start, and class loading reads without inflating. The
 * unpacked size in {@code /var/task} grows accordingly (well within Lambda's 250 MB).
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
            System.out.printf("[repack-function-zip] jars stored, zip deflated: function.zip %,d -> %,d bytes%n",
                    zipBefore, Files.size(zip));
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
     * Rewrites the zip, deflated at the highest level: the Bouncy Castle entry with the trimmed jar, every jar
     * with its entries stored, everything else as it was; names, order and times are kept.
     */
    private static void rewrite(Path zip, String bcEntry, byte[] trimmedBc, Path scratch) throws IOException {
        try (ZipFile in = new ZipFile(zip.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(scratch))) {
            out.setLevel(Deflater.BEST_COMPRESSION);
            Enumeration<? extends ZipEntry> entries = in.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                byte[] data;
                try (InputStream stream = in.getInputStream(entry)) {
                    data = stream.readAllBytes();
                }
                if (entry.getName().equals(bcEntry)) {
                    data = trimmedBc;
                }
                if (entry.getName().endsWith(".jar")) {
                    data = withStoredEntries(data);
                }
                ZipEntry copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                copy(out, copy, data);
            }
        }
        Files.move(scratch, zip, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The same jar with every entry stored instead of deflated: the bytes inside are unchanged. */
    private static byte[] withStoredEntries(byte[] jar) throws IOException {
        ByteArrayOutputStream result = new ByteArrayOutputStream(jar.length * 3);
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(jar));
                ZipOutputStream out = new ZipOutputStream(result)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                byte[] data = in.readAllBytes();
                ZipEntry stored = new ZipEntry(entry.getName());
                stored.setTime(entry.getTime());
                stored.setMethod(ZipEntry.STORED);
                stored.setSize(data.length);
                stored.setCompressedSize(data.length);
                CRC32 crc = new CRC32();
                crc.update(data);
                stored.setCrc(crc.getValue());
                copy(out, stored, data);
            }
        }
        return result.toByteArray();
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
