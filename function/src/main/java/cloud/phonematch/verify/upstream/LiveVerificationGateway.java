package cloud.phonematch.verify.upstream;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;


import cloud.phonematch.verify.crypto.CryptoConfigurationException;
import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
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
    private final ApiReplyReader replies;
    private final RequestBodies bodies;

    public LiveVerificationGateway(VerificationApiClientFactory clients, Clock clock, RequestBodies bodies) {
        this.clients = clients;
        this.replies = new ApiReplyReader(clock);
        this.bodies = bodies;
    }

    @Override
    public UpstreamAnswer check(UpstreamCall call, Duration timeout) {
        byte[] requestBody;
        try {
            requestBody = Json.bytes(bodies.bodyFor(call));
        } catch (CryptoConfigurationException e) {
            // Nothing was sent: a settings problem, not the API's.
            return new UpstreamAnswer.Refused(Failure.of(ErrorType.CONFIGURATION, e.getMessage()),
                    UpstreamAnswer.RefusalKind.FINAL, null);
        }
        try (Response response = clients.api()
                .check(call.token().authorizationHeader(), call.correlationId(), requestBody)
                // Waiting is bounded per attempt; on expiry the request is cancelled.
                .await().atMost(timeout)) {
            String body = response.hasEntity() ? response.readEntity(String.class) : null;
            return explainEncryptionRefusal(replies.read(response.getStatus(), body,
                    response.getHeaderString("Retry-After"),
                    UpstreamText.forRequest(call.token(), call.name(), call.mobile())));
        } catch (RuntimeException e) {
            TransportFailure failure = TransportFailure.classify(e);
            LOG.debugf("API call failed in transport: %s (%s)", failure.name(), e.getClass().getSimpleName());
            return failure.toAnswer();
        }
    }

    /** With encryption on, a 400 bad_request is almost always the envelope: say so (never the key). */
    private UpstreamAnswer explainEncryptionRefusal(UpstreamAnswer answer) {
        if (bodies.encrypting() && answer instanceof UpstreamAnswer.Refused r
                && r.failure().upstreamStatus().orElse(0) == 400 && "bad_request".equals(r.failure().upstreamCode())) {
            return new UpstreamAnswer.Refused(Failure.upstream(ErrorType.UPSTREAM_CONTRACT,
                    "encryption refused: the API rejected the encrypted request (check VERIFY_ENCRYPTION,"
                            + " VERIFY_ENCRYPTION_SHAPE and the provider key)", 400, "bad_request"),
                    r.kind(), r.traceId());
        }
        return answer;
    }

    @Override
    public boolean requiresToken() {
        return true;
    }
}
