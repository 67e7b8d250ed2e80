package cloud.phonematch.verify.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.json.Json;

/** Subsegments reach a (fake) X-Ray daemon over UDP in the documented format, and only when sampled. */
class XRayTracingTest {
    private static final String ROOT = "1-5759e988-bd862e3fe1be46a994272793";
    private static final String PARENT = "53995c3f42cd8ad8";

    @AfterEach
    void clear() {
        System.clearProperty(XRayTracing.TRACE_HEADER_PROPERTY);
        System.clearProperty(XRayTracing.DAEMON_PROPERTY);
    }

    @Test
    void sampledInvocationSendsAnnotatedSubsegment() throws Exception {
        try (DatagramSocket daemon = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            daemon.setSoTimeout(2_000);
            System.setProperty(XRayTracing.DAEMON_PROPERTY, "127.0.0.1:" + daemon.getLocalPort());
            System.setProperty(XRayTracing.TRACE_HEADER_PROPERTY, "Root=" + ROOT + ";Parent=" + PARENT + ";Sampled=1");

            new XRayTracing().begin("verification-api").annotate("attempt", 2).annotate("status", "CONSISTENT")
                    .end(false, false);

            DatagramPacket packet = new DatagramPacket(new byte[8192], 8192);
            daemon.receive(packet);
            String[] parts = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8).split("\n", 2);
            assertEquals("{\"format\":\"json\",\"version\":1}", parts[0]);
            JsonNode doc = Json.MAPPER.readTree(parts[1]);
            assertEquals("verification-api", doc.path("name").asText());
            assertEquals("subsegment", doc.path("type").asText());
            assertEquals(ROOT, doc.path("trace_id").asText());
            assertEquals(PARENT, doc.path("parent_id").asText());
            assertTrue(doc.path("id").asText().matches("[0-9a-f]{16}"));
            assertTrue(doc.path("end_time").asDouble() >= doc.path("start_time").asDouble());
            assertEquals(2, doc.path("annotations").path("attempt").asInt());
            assertEquals("CONSISTENT", doc.path("annotations").path("status").asText());
            assertFalse(doc.path("fault").asBoolean());
        }
    }

    @Test
    void unsampledInvocationSendsNothing() throws Exception {
        try (DatagramSocket daemon = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            daemon.setSoTimeout(300);
            System.setProperty(XRayTracing.DAEMON_PROPERTY, "udp:127.0.0.1:" + daemon.getLocalPort() + " tcp:127.0.0.1:2000");
            System.setProperty(XRayTracing.TRACE_HEADER_PROPERTY, "Root=" + ROOT + ";Parent=" + PARENT + ";Sampled=0");

            new XRayTracing().begin("secrets-manager").end(false, false);

            try {
                daemon.receive(new DatagramPacket(new byte[8192], 8192));
                throw new AssertionError("an unsampled trace must send nothing");
            } catch (SocketTimeoutException expected) {
                // nothing arrived
            }
        }
    }

    @Test
    void headerParsing() {
        var h = XRayTracing.TraceHeader.parse("Root=" + ROOT + ";Parent=" + PARENT + ";Sampled=1;Lineage=a:1").orElseThrow();
        assertEquals(ROOT, h.root());
        assertTrue(h.sampled());
        assertTrue(XRayTracing.TraceHeader.parse("Sampled=1").isEmpty());
        assertTrue(XRayTracing.TraceHeader.parse(null).isEmpty());
    }

    @Test
    void afterARestoreIdsAreDrawnFromANewGenerator() {
        XRayTracing tracing = new XRayTracing();
        SecureRandom before = tracing.random();

        tracing.renewAfterRestore();

        assertNotSame(before, tracing.random(), "a generator copied from the snapshot is replaced");
    }
}
