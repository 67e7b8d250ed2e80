package cloud.phonematch.verify.sandbox;

import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/**
 * In dev mode ({@code ./mvnw quarkus:dev}) prints ready-to-paste {@code curl} lines for Quarkus's mock
 * Lambda event server. They point at the sample events in {@code events/}, so no name or number is printed.
 */
public class LocalRunHints {
    private static final Logger LOG = Logger.getLogger(LocalRunHints.class);

    void onStart(@Observes StartupEvent event,
            // Set by the mock event server when it starts, to the port it listens on (any free one if set to 0).
            @ConfigProperty(name = "quarkus.lambda.mock-event-server.dev-port", defaultValue = "8080") int port,
            @ConfigProperty(name = "verify.upstream", defaultValue = "live") String upstream) {
        if (LaunchMode.current() != LaunchMode.DEVELOPMENT) {
            return;
        }
        String url = "http://localhost:" + port;
        LOG.infof("""
                Mobile verification function running on the mock Lambda event server (upstream: %s).
                  Direct invocation (as Step Functions calls it):
                    curl -s -X POST %s -H 'content-type: application/json' -d @events/direct.json
                  API Gateway HTTP API event:
                    curl -s -X POST %s -H 'content-type: application/json' -d @events/http-api-v2.json
                  The sandbox answers by the number's last digit: 0 consistent, 1 inconsistent, 2 no record,
                  3/4 engine error, 5 daily limit, 6-9 consistent.""", upstream, url, url);
    }
}
