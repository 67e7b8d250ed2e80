package cloud.phonematch.verify.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import cloud.phonematch.verify.support.ProjectRoot;

/**
 * After {@code package} (Failsafe): the JVM {@code target/function.zip} as {@code src/build/java/RepackFunctionZip.java}
 * leaves it — within the 20 MB the package is allowed, without the jars {@code quarkus.class-loading.removed-artifacts} names, and
 * with the dependency jars Quarkus resolved ({@code target/lib}) merged into one stored jar that holds every class,
 * every service registration and every licence text they held.
 */
class FunctionZipIT {
    private static final Path ZIP = ProjectRoot.MODULE.resolve("target/function.zip");
    private static final Path RESOLVED = ProjectRoot.MODULE.resolve("target/lib");
    /** The package's size limit: a JVM zip above it means something unneeded came back in. */
    private static final long TARGET_BYTES = 20_000_000;
    private static final String MERGED = "lib/function-dependencies.jar";

    /** The merged jar's entries, path to bytes; every one asserted stored when read. */
    private static Map<String, byte[]> merged;

    @BeforeAll
    static void readTheMergedJar() throws IOException {
        try (ZipFile zip = new ZipFile(ZIP.toFile())) {
            ZipEntry jar = zip.getEntry(MERGED);
            assertNotNull(jar, MERGED + " is in the zip");
            try (InputStream in = zip.getInputStream(jar)) {
                merged = entries(in.readAllBytes(), true);
            }
        }
    }

    @Test
    void staysWithinTheSizeTarget() throws IOException {
        long size = Files.size(ZIP);
        assertTrue(size <= TARGET_BYTES, "function.zip is " + size + " bytes; the target is 20 MB");
    }

    @Test
    void theDependenciesAreOneMultiReleaseJar() throws IOException {
        try (ZipFile zip = new ZipFile(ZIP.toFile())) {
            assertEquals(List.of(MERGED), zip.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".jar")).toList());
        }
        Manifest manifest = new Manifest(new ByteArrayInputStream(merged.get(JarFile.MANIFEST_NAME)));
        assertEquals("true", manifest.getMainAttributes().getValue(Attributes.Name.MULTI_RELEASE),
                "Jackson, Vert.x and jboss-threads ship Java 9+ variants");
        assertFalse(merged.containsKey("META-INF/INDEX.LIST"), "one jar's index would hide the others' packages");
        assertFalse(merged.keySet().stream().anyMatch(n -> n.endsWith("module-info.class")));
    }

    @Test
    void leavesOutTheRemovedArtifacts() {
        assertTrue(hasPackage("com/fasterxml/jackson/databind/"), "the listing is of the real jar");
        for (String removed : List.of("com/amazonaws/services/lambda/runtime/events/", "org/jctools/",
                "io/vertx/ext/web/client/", "io/netty/handler/codec/socks/", "jakarta/xml/bind/", "io/smallrye/stork/",
                "software/amazon/eventstream/", "io/smallrye/mutiny/context/")) {
            assertFalse(hasPackage(removed), removed + " is packaged");
        }
        // Kept on purpose (application.properties says why).
        assertTrue(hasPackage("io/netty/resolver/dns/"), "Vert.x resolves host names with it");
        assertTrue(hasPackage("io/netty/channel/unix/"), "Netty's SslHandler links UnixChannel on every TLS handshake");
    }

    @Test
    void holdsEveryResolvedClassByteForByte() throws IOException {
        int compared = 0;
        for (Map.Entry<String, Map<String, byte[]>> jar : resolvedJars().entrySet()) {
            if (jar.getKey().startsWith("org.bouncycastle.bcprov")) {
                continue; // trimmed to what the function reaches: TrimmedBouncyCastleIT
            }
            for (Map.Entry<String, byte[]> entry : jar.getValue().entrySet()) {
                String path = entry.getKey();
                if (path.endsWith(".class") && !path.endsWith("module-info.class")) {
                    assertArrayEquals(entry.getValue(), merged.get(path), jar.getKey() + "!" + path);
                    compared++;
                }
            }
        }
        assertTrue(compared > 10_000, compared + " classes compared");
    }

    @Test
    void joinsEveryServiceRegistration() throws IOException {
        Map<String, Set<String>> expected = new HashMap<>();
        for (Map.Entry<String, Map<String, byte[]>> jar : resolvedJars().entrySet()) {
            if (jar.getKey().startsWith("org.bouncycastle.bcprov")) {
                continue; // its JCA provider registration goes with the trimmed classes
            }
            jar.getValue().forEach((path, bytes) -> {
                if (path.startsWith("META-INF/services/")) {
                    expected.computeIfAbsent(path, k -> new LinkedHashSet<>()).addAll(serviceLines(bytes));
                }
            });
        }
        assertTrue(expected.get("META-INF/services/io.smallrye.faulttolerance.core.invocation.AsyncSupport").size() >= 2,
                "a service several jars register: " + expected.keySet());
        for (Map.Entry<String, Set<String>> service : expected.entrySet()) {
            byte[] joined = merged.get(service.getKey());
            assertNotNull(joined, service.getKey());
            assertEquals(service.getValue(), new LinkedHashSet<>(serviceLines(joined)), service.getKey());
        }
    }

    @Test
    void keepsEveryLicenceText() throws IOException {
        int licences = 0;
        for (Map.Entry<String, Map<String, byte[]>> jar : resolvedJars().entrySet()) {
            for (Map.Entry<String, byte[]> entry : jar.getValue().entrySet()) {
                String path = entry.getKey();
                if (path.matches("META-INF/[^/]*(LICENSE|NOTICE)[^/]*")) {
                    licences++;
                    byte[] atPath = merged.get(path);
                    byte[] kept = merged.get("META-INF/function-dependencies/" + jar.getKey() + "/" + path);
                    assertTrue(Arrays.equals(entry.getValue(), atPath)
                            || Arrays.equals(entry.getValue(), kept), jar.getKey() + "!" + path + " is kept");
                }
            }
        }
        assertTrue(licences > 20, licences + " licence texts");
    }

    /**
     * The dev-only local HTTP API ({@code cloud.phonematch.verify.localgateway}) is not in the production build: it is
     * the module {@code local-gateway/}, a provided-scope dependency of the function, which Quarkus puts on the class
     * path of dev mode and tests only. So function.zip holds none of its files, at its top or in a jar inside it, and
     * Quarkus's list of classes to load at init names none of its classes.
     */
    @Test
    void leavesOutTheDevOnlyLocalHttpApi() throws IOException {
        String devOnly = "cloud/phonematch/verify/localgateway/";
        assertTrue(Files.exists(ProjectRoot.PATH.resolve("local-gateway/target/classes/" + devOnly
                + "LocalGatewayStarter.class")), "the module is compiled, so its absence below means something");
        String packaged = " is in function.zip: the local HTTP API must reach the function as a provided-scope"
                + " dependency only (function/pom.xml)";
        int jars = 0;
        try (ZipFile zip = new ZipFile(ZIP.toFile())) {
            for (ZipEntry entry : zip.stream().toList()) {
                assertFalse(entry.getName().startsWith(devOnly), entry.getName() + packaged);
                if (entry.getName().endsWith(".jar")) {
                    jars++;
                    try (InputStream in = zip.getInputStream(entry)) {
                        entries(in.readAllBytes(), false).keySet().stream().filter(n -> n.startsWith(devOnly))
                                .findFirst().ifPresent(n -> fail(entry.getName() + "!" + n + packaged));
                    }
                }
            }
            assertTrue(jars > 0, "the jars inside the zip were read");
            ZipEntry preload = zip.getEntry("META-INF/quarkus-generated-preload-classes.txt");
            assertNotNull(preload, "Quarkus's list of classes to load at init");
            List<String> preloaded;
            try (InputStream in = zip.getInputStream(preload)) {
                preloaded = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            }
            assertTrue(preloaded.contains("cloud.phonematch.verify.handler.VerificationHandler"), "the listing is real");
            preloaded.stream().filter(c -> c.startsWith(devOnly.replace('/', '.'))).findFirst()
                    .ifPresent(c -> fail(c + " is loaded at init" + packaged));
        }
    }

    private static boolean hasPackage(String prefix) {
        return merged.keySet().stream().anyMatch(n -> n.startsWith(prefix) && n.endsWith(".class"));
    }

    private static List<String> serviceLines(byte[] file) {
        return new String(file, StandardCharsets.UTF_8).lines().map(l -> l.replaceFirst("#.*", "").strip())
                .filter(l -> !l.isEmpty()).toList();
    }

    /** Each jar Quarkus resolved into {@code target/lib}, by file name. */
    private static Map<String, Map<String, byte[]>> resolvedJars() throws IOException {
        Map<String, Map<String, byte[]>> jars = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(RESOLVED)) {
            for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                jars.put(jar.getFileName().toString(), entries(Files.readAllBytes(jar), false));
            }
        }
        assertTrue(jars.size() > 50, jars.size() + " resolved jars in " + RESOLVED);
        return jars;
    }

    /** Entry name to bytes, in order; optionally asserting that every entry is stored. */
    private static Map<String, byte[]> entries(byte[] jar, boolean storedCheck) throws IOException {
        Map<String, byte[]> result = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(jar))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (storedCheck) {
                    assertEquals(ZipEntry.STORED, e.getMethod(), e.getName() + " is compressed");
                }
                if (!e.isDirectory()) {
                    result.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return result;
    }
}
