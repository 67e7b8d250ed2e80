package cloud.phonematch.verify.upstream;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Singleton;
import jakarta.ws.rs.Path;

import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.priming.Placeholders;
import cloud.phonematch.verify.priming.PlayedService;
import cloud.phonematch.verify.priming.ServiceRehearsal;
import cloud.phonematch.verify.verification.ApiToken;
import cloud.phonematch.verify.verification.AttemptSettings;
import cloud.phonematch.verify.verification.UpstreamCall;

/**
 * The API's call, rehearsed: through a circuit of the same policy as the function's (SmallRye Fault Tolerance) and the
 * REST client on Vert.x and Netty, its reply mapped. The circuit is one of its own that no name reaches, the client is
 * built for the loopback server and closed after, and the body is plaintext (no encryptor is built): the function's
 * own circuit and client are untouched.
 */
@Singleton
public class ApiCallRehearsal implements ServiceRehearsal {
    public static final String SERVICE = "verification API";
    private static final String API_PATH = VerificationApi.class.getAnnotation(Path.class).value();

    private final ApiSettings api;
    private final AttemptSettings attempts;
    private final Clock clock;

    public ApiCallRehearsal(ApiSettings api, AttemptSettings attempts, Clock clock) {
        this.api = api;
        this.attempts = attempts;
        this.clock = clock;
    }

    /** The API's answer: result 0 (consistent). */
    @Override
    public PlayedService played() {
        return PlayedService.atPath(SERVICE, API_PATH, "application/json", Json.write(Json.object()
                .put("result", "0").put("description", Placeholders.ID).put("trace_id", Placeholders.ID)));
    }

    /** The REST client's builder and request chain, Vert.x's HTTP client, Mutiny and the fault tolerance's guard. */
    @Override
    public List<String> firstCallClasses() {
        return List.of("io.quarkus.rest.client.reactive.QuarkusRestClientBuilder",
                "org.jboss.resteasy.reactive.client.impl.ClientImpl",
                "org.jboss.resteasy.reactive.client.handlers.ClientSendRequestHandler",
                "io.vertx.core.http.impl.HttpClientImpl",
                "io.smallrye.mutiny.Uni",
                "io.smallrye.faulttolerance.api.TypedGuard");
    }

    @Override
    public Run open(URI loopback, Duration timeout) {
        VerificationApiClientFactory client = VerificationApiClientFactory.at(loopback, api, attempts);
        CircuitBreakingVerificationGateway gateway = CircuitBreakingVerificationGateway.unregistered(
                new LiveVerificationGateway(client, clock, RequestBodies.plaintext()), api);
        UpstreamCall call = new UpstreamCall(Placeholders.NAME, Placeholders.MOBILE, new ApiToken(Placeholders.TOKEN),
                Placeholders.ID);
        return new Run() {
            @Override
            public void round() {
                gateway.check(call, timeout);
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }
}
