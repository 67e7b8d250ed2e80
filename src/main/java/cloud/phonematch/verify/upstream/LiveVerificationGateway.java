package cloud.phonematch.verify.upstream;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import cloud.phonematch.verify.verification.UpstreamAnswer;
import cloud.phonematch.verify.verification.UpstreamCall;
import cloud.phonematch.verify.verification.VerificationGateway;

/**
 * The real API through the declarative REST client. Every outcome, including exceptions of the HTTP stack,
 * becomes an {@link UpstreamAnswer}; exception messages are never passed on, since a client library may
 * quote the request it was sending.
 */
@ApplicationScoped
@Typed(LiveVerificationGateway.class)
public class LiveVerificationGateway implements VerificationGateway {
    private static final Logger LOG = Logger.getLogger(LiveVerificationGateway.class);

    private final VerificationApiClientFactory clients;
    private final UpstreamReplyTable table;

    public LiveVerificationGateway(VerificationApiClientFactory clients, Clock clock) {
        this.clients = clients;
        this.table = new UpstreamReplyTable(clock);
    }

    @Override
    public UpstreamAnswer check(UpstreamCall call, Duration timeout) {
        try (Response response = clients.api()
                .check(call.token().authorizationHeader(), call.correlationId(),
                        new CheckRequest(call.name(), call.mobile()))
                // Waiting is bounded per attempt; on expiry the request is cancelled.
                .await().atMost(timeout)) {
            String body = response.hasEntity() ? response.readEntity(String.class) : null;
            return table.map(response.getStatus(), body, response.getHeaderString("Retry-After"));
        } catch (RuntimeException e) {
            TransportFailure failure = TransportFailure.classify(e);
            LOG.debugf("API call failed in transport: %s (%s)", failure.name(), e.getClass().getSimpleName());
            return failure.toAnswer();
        }
    }

    @Override
    public boolean requiresToken() {
        return true;
    }
}
