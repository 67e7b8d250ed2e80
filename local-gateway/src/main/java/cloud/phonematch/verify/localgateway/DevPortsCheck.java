package cloud.phonematch.verify.localgateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;

/**
 * Stops dev mode ({@code ./mvnw quarkus:dev}) at its start, with one line per port and exit status 1, when a port it is
 * about to listen on is taken: the mock Lambda event server's ({@code quarkus.lambda.mock-event-server.dev-port},
 * 8080) and the local HTTP API's ({@code local-gateway.port}, 3000). Each line names the port and the setting that
 * chooses another.
 * <p>
 * Quarkus starts the mock event server before any of the application's code runs, and when its port is taken dev mode
 * neither says so nor ends: it keeps waiting for a code change that would restart it. So the ports are tried here, in
 * a {@link ConfigSourceFactory} (registered in {@code META-INF/services}; it adds no configuration): the first thing of
 * the application's that dev mode runs, when it reads the build-time configuration, before it starts the mock event
 * server. Only once per dev mode process, since at a live reload the ports are this process's own; only in the dev
 * profile (tests and continuous testing run with {@code test}); and never in a Lambda, which has no class of this
 * module.
 */
public final class DevPortsCheck implements ConfigSourceFactory {
    /** A system property set once the ports were tried in this process. */
    static final String CHECKED = DevPortsCheck.class.getName() + ".done";
    static final String MOCK_PORT = "quarkus.lambda.mock-event-server.dev-port";
    static final String MOCK_ENABLED = "quarkus.lambda.mock-event-server.enabled";
    /** Quarkus's default for {@link #MOCK_PORT} (its MockEventServerConfig). */
    static final int MOCK_DEFAULT_PORT = 8080;
    private static final String PREFIX = "Dev mode cannot start: ";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (context.getProfiles().contains("dev") && System.getProperties().putIfAbsent(CHECKED, "true") == null) {
            List<String> problems = problems(name -> Optional.ofNullable(context.getValue(name))
                    .map(ConfigValue::getValue));
            if (!problems.isEmpty()) {
                problems.forEach(System.err::println);
                System.err.flush();
                // Anything but an exit leaves dev mode running with nothing started (see above).
                System.exit(1);
            }
        }
        return List.of();
    }

    /**
     * What keeps dev mode from starting, one line each: a taken port, the same port for both servers, a setting that
     * is not valid. Empty when it can start.
     *
     * @param property looks a setting up by its full name
     */
    static List<String> problems(Function<String, Optional<String>> property) {
        List<String> problems = new ArrayList<>();
        int mockPort = mockPort(property, problems);
        if (mockPort != 0) {
            unusable(new InetSocketAddress(mockPort)).ifPresent(why -> problems.add(PREFIX + "port " + mockPort
                    + ", where the mock Lambda event server listens, " + why + ". Free it or choose another port: -D"
                    + MOCK_PORT + "=<port> (0: any free port)"));
        }
        LocalGatewaySettings gateway;
        try {
            gateway = LocalGatewaySettings.from(property);
        } catch (IllegalArgumentException e) {
            problems.add(PREFIX + e.getMessage());
            return problems;
        }
        if (gateway.enabled() && gateway.port() != 0) {
            String another = "another port: -D" + LocalGatewaySettings.PREFIX + "port=<port> (0: any free port), or turn"
                    + " the local HTTP API off: -D" + LocalGatewaySettings.PREFIX + "enabled=false";
            if (gateway.port() == mockPort) {
                problems.add(PREFIX + "the local HTTP API and the mock Lambda event server are both set to port "
                        + mockPort + " (" + LocalGatewaySettings.PREFIX + "port, " + MOCK_PORT + "). Choose " + another);
            } else {
                unusable(new InetSocketAddress(gateway.host(), gateway.port())).ifPresent(why -> problems.add(PREFIX
                        + "port " + gateway.port() + " of " + gateway.host() + ", where the local HTTP API listens, "
                        + why + ". Free it or choose " + another));
            }
        }
        return problems;
    }

    /** The mock event server's port; 0 when it is off, listens on any free port, or its setting is not valid. */
    private static int mockPort(Function<String, Optional<String>> property, List<String> problems) {
        if (property.apply(MOCK_ENABLED).map(String::strip).map("false"::equalsIgnoreCase).orElse(false)) {
            return 0;
        }
        String value = property.apply(MOCK_PORT).map(String::strip).orElse(Integer.toString(MOCK_DEFAULT_PORT));
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(PREFIX + MOCK_PORT + " must be a port, 0-65535 (0: any free port), not '" + value + "'");
        return 0;
    }

    /**
     * Whether a server could listen on the address as Vert.x listens (address reuse on); if not, why not.
     */
    static Optional<String> unusable(InetSocketAddress address) {
        if (address.isUnresolved()) {
            return Optional.of("cannot be listened on (" + address.getHostString() + " is not a known host)");
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(address);
            return Optional.empty();
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            return Optional.of(message.contains("already in use") ? "is in use"
                    : "cannot be listened on (" + message + ")");
        }
    }
}
