package cloud.phonematch.verify.observability;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.verification.RenewableRandom;
import cloud.phonematch.verify.verification.Tracing;
import cloud.phonematch.verify.verification.RenewableAfterRestore;

/**
 * X-Ray subsegments under the segment Lambda opens for each invocation (with {@code Tracing: Active}): a
 * subsegment document per span, sent to the X-Ray daemon over UDP as the X-Ray segment-document protocol
 * describes ({@code {"format": "json", "version": 1}} header line, then the document).
 * <p>
 * Written here rather than taken from {@code quarkus-amazon-lambda-xray}, whose parent POM is not
 * resolvable from this project's registry; it is small, allocation-light, and has no reflection, so it works
 * unchanged in a native image. Inactive (no socket, no cost beyond a header parse) unless the invocation's
 * trace header says {@code Sampled=1} and a daemon address is known.
 */
@ApplicationScoped
public class XRayTracing implements Tracing, RenewableAfterRestore {
    private static final Logger LOG = Logger.getLogger(XRayTracing.class);
    /** Where the Lambda runtimes (Quarkus's poll loop and AWS's Java runtime) put the invocation's trace header. */
    static final String TRACE_HEADER_PROPERTY = "com.amazonaws.xray.traceHeader";
    static final String DAEMON_PROPERTY = "com.amazonaws.xray.emitters.daemonAddress";
    private static final byte[] HEADER = "{\"format\":\"json\",\"version\":1}\n".getBytes(StandardCharsets.UTF_8);

    /** Draws the subsegment ids, anew after a SnapStart restore so that restored containers draw different ids. */
    private final RenewableRandom random = new RenewableRandom();
    private volatile DatagramSocket socket;

    @Override
    public Span begin(String name) {
        Optional<TraceHeader> header = TraceHeader.parse(currentTraceHeader());
        Optional<InetSocketAddress> daemon = daemonAddress();
        if (header.isEmpty() || !header.get().sampled() || daemon.isEmpty()) {
            return NO_SPAN;
        }
        return new Subsegment(name, header.get(), daemon.get());
    }

    @Override
    public void renewAfterRestore() {
        random.renewAfterRestore();
    }

    /** The generator subsegment ids are drawn from now. */
    SecureRandom random() {
        return random.current();
    }

    private static String currentTraceHeader() {
        String fromRuntime = System.getProperty(TRACE_HEADER_PROPERTY);
        return fromRuntime != null ? fromRuntime : System.getenv("_X_AMZN_TRACE_ID");
    }

    private static Optional<InetSocketAddress> daemonAddress() {
        String address = System.getenv("AWS_XRAY_DAEMON_ADDRESS");
        if (address == null) {
            address = System.getProperty(DAEMON_PROPERTY);
        }
        if (address == null) {
            return Optional.empty();
        }
        // Lambda may give "udp:host:port tcp:host:port" or plain "host:port".
        for (String part : address.trim().split("\\s+")) {
            String hostPort = part.startsWith("udp:") ? part.substring(4) : part;
            if (part.startsWith("tcp:")) {
                continue;
            }
            int colon = hostPort.lastIndexOf(':');
            if (colon > 0) {
                try {
                    return Optional.of(new InetSocketAddress(hostPort.substring(0, colon),
                            Integer.parseInt(hostPort.substring(colon + 1))));
                } catch (RuntimeException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** Root, Parent and Sampled of an X-Ray trace header ({@code Root=1-…;Parent=…;Sampled=1}). */
    record TraceHeader(String root, String parent, boolean sampled) {
        static Optional<TraceHeader> parse(String header) {
            if (header == null) {
                return Optional.empty();
            }
            String root = null;
            String parent = null;
            boolean sampled = false;
            for (String part : header.split(";")) {
                String[] kv = part.trim().split("=", 2);
                if (kv.length == 2) {
                    switch (kv[0]) {
                        case "Root" -> root = kv[1];
                        case "Parent" -> parent = kv[1];
                        case "Sampled" -> sampled = "1".equals(kv[1]);
                        default -> {
                        }
                    }
                }
            }
            return root == null || parent == null ? Optional.empty() : Optional.of(new TraceHeader(root, parent, sampled));
        }
    }

    private final class Subsegment implements Span {
        private final ObjectNode doc = Json.object();
        private final ObjectNode annotations;
        private final InetSocketAddress daemon;

        Subsegment(String name, TraceHeader header, InetSocketAddress daemon) {
            this.daemon = daemon;
            byte[] id = new byte[8];
            random.current().nextBytes(id);
            doc.put("name", name);
            doc.put("id", HexFormat.of().formatHex(id));
            doc.put("trace_id", header.root());
            doc.put("parent_id", header.parent());
            doc.put("type", "subsegment");
            doc.put("namespace", "remote");
            doc.put("start_time", System.currentTimeMillis() / 1000.0);
            annotations = doc.putObject("annotations");
        }

        @Override
        public Span annotate(String key, String value) {
            annotations.put(key, value);
            return this;
        }

        @Override
        public Span annotate(String key, long value) {
            annotations.put(key, value);
            return this;
        }

        @Override
        public void end(boolean error, boolean fault) {
            doc.put("end_time", System.currentTimeMillis() / 1000.0);
            doc.put("error", error);
            doc.put("fault", fault);
            send(doc, daemon);
        }
    }

    private void send(ObjectNode doc, InetSocketAddress daemon) {
        byte[] body = Json.write(doc).getBytes(StandardCharsets.UTF_8);
        byte[] packet = new byte[HEADER.length + body.length];
        System.arraycopy(HEADER, 0, packet, 0, HEADER.length);
        System.arraycopy(body, 0, packet, HEADER.length, body.length);
        try {
            socket().send(new DatagramPacket(packet, packet.length, daemon));
        } catch (IOException | RuntimeException e) {
            // Tracing must never fail a verification.
            LOG.debugf("could not send an X-Ray subsegment: %s", e.getClass().getSimpleName());
        }
    }

    private DatagramSocket socket() throws IOException {
        DatagramSocket s = socket;
        if (s == null) {
            synchronized (this) {
                s = socket;
                if (s == null) {
                    s = new DatagramSocket();
                    socket = s;
                }
            }
        }
        return s;
    }
}
