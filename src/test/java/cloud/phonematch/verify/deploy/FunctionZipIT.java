package cloud.phonematch.verify.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/**
 * After {@code package} (Failsafe): the JVM {@code target/function.zip} as {@code src/build/java/RepackFunctionZip.java}
 * leaves it — within the 20 MB, without the jars {@code quarkus.class-loading.removed-artifacts} names, and
 * with every jar's entries stored but otherwise byte for byte the jar Maven resolved.
 */
class FunctionZipIT {
    private static final Path ZIP = DeploymentFilesTest.ROOT.resolve("target/function.zip");
    private static final long TARGET_BYTES = 20_000_000; // issue 4, Packaging

    @Test
    void staysWithinTheSizeTarget() throws IOException {
        long size = Files.size(ZIP);
        assertTrue(size <= TARGET_BYTES, "function.zip is " + size + " bytes; the target is 20 MB");
    }

    @Test
    void leavesOutTheRemovedArtifacts() throws IOException {
        List<String> jars = jarNames();
        assertTrue(jars.stream().anyMatch(n -> n.contains("jackson-databind")), "the listing is of the real jars: " + jars);
        for (String removed : List.of("aws-lambda-java-events", "jctools-core", "vertx-web-client", "netty-codec-socks",
                "jakarta.xml.bind-api", "stork-api", "software.amazon.awssdk.eventstream",
                "mutiny-smallrye-context-propagation")) {
            assertFalse(jars.stream().anyMatch(n -> n.contains(removed)), removed + " is packaged: " + jars);
        }
        // Kept on purpose (application.properties says why).
        assertTrue(jars.stream().anyMatch(n -> n.contains("netty-resolver-dns")), "Vert.x resolves host names with it");
    }

    @Test
    void everyJarIsStoredAndHoldsTheSameBytesAsTheResolvedOne() throws IOException, URISyntaxException {
        Path resolved = Path.of(ObjectMapper.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String packagedName = "lib/com.fasterxml.jackson.core." + resolved.getFileName();
        try (ZipFile zip = new ZipFile(ZIP.toFile())) {
            int jars = 0;
            for (ZipEntry entry : zip.stream().filter(e -> e.getName().endsWith(".jar")).toList()) {
                jars++;
                try (InputStream in = zip.getInputStream(entry)) {
                    entries(in.readAllBytes(), entry.getName());
                }
            }
            assertTrue(jars > 50, jars + " jars");
            ZipEntry databind = zip.getEntry(packagedName);
            assertTrue(databind != null, packagedName + " is in the zip");
            try (InputStream in = zip.getInputStream(databind)) {
                assertEquals(entries(Files.readAllBytes(resolved), null), entries(in.readAllBytes(), packagedName),
                        "the packaged jackson-databind holds the resolved jar's entries, with the same CRCs");
            }
        }
    }

    /** Entry name to CRC-32, in order; with a jar name, also asserts that every entry is stored. */
    private static Map<String, Long> entries(byte[] jar, String storedCheck) throws IOException {
        Map<String, Long> crcs = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(jar))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (storedCheck != null) {
                    assertEquals(ZipEntry.STORED, e.getMethod(), storedCheck + "!" + e.getName() + " is compressed");
                }
                in.readAllBytes(); // the CRC of a deflated entry is known only after reading it
                if (!e.isDirectory()) {
                    crcs.put(e.getName(), e.getCrc());
                }
            }
        }
        return crcs;
    }

    private static List<String> jarNames() throws IOException {
        try (ZipFile zip = new ZipFile(ZIP.toFile())) {
            return zip.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".jar")).toList();
        }
    }
}
