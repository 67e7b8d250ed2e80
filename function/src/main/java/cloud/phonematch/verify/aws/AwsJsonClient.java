package cloud.phonematch.verify.aws;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import cloud.phonematch.verify.http.RestClients;
import cloud.phonematch.verify.verification.ConnectionNeverMade;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Calls one AWS service in its JSON protocol: the AWS SDK's SigV4 signer, credentials providers and endpoint rules,
 * and the function's own REST client for the HTTP call.
 * <p>
 * Why not the SDK's service clients: for a call or two per invocation they load a request pipeline, interceptors,
 * marshallers, retry and metrics machinery and a second HTTP stack beside the REST client's — for Secrets Manager
 * some 1,050 classes, 13 MiB of resident memory and about 450 ms of every cold start's first invocation
 * (BENCHMARKS.md). The parts that must be right — signing, credentials, the endpoint per partition — are still the
 * SDK's; what is ours is a POST with a target header and a JSON body.
 * <p>
 * Region from {@code AWS_REGION} and, in an on-demand environment, credentials from the environment Lambda sets for
 * the function's role ({@link LambdaSdkSettings}); elsewhere the SDK's default chains. Endpoint as the SDK resolves it
 * ({@link AwsEndpoints}). Create one on first use, never during init, so that no connection or credentials are
 * captured in a SnapStart snapshot.
 */
public final class AwsJsonClient implements AutoCloseable {
    private final AwsJsonService service;
    private final URI endpoint;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final Clock clock;
    private final AwsJsonApi api;

    /** What the service answered: its HTTP status, the {@code x-amzn-ErrorType} header and the body. */
    public record Reply(int status, String errorType, String body) {
    }

    /**
     * No reply came back: no connection could be made, the connection broke, or no answer came in time. Carries the
     * exception's class name only (its message may name hosts or quote the request), and whether the request may have
     * reached the service: false only when no connection was made ({@link ConnectionNeverMade}), so that a write
     * refused at connect is known not to have been made.
     */
    public static final class NoReply extends RuntimeException {
        private final boolean mayHaveArrived;

        NoReply(String reason, boolean mayHaveArrived) {
            super(reason, null, false, false);
            this.mayHaveArrived = mayHaveArrived;
        }

        /** Whether the request may have reached the service, and so a write have been made. */
        public boolean mayHaveArrived() {
            return mayHaveArrived;
        }
    }

    private AwsJsonClient(AwsJsonService service, URI endpoint, Region region, AwsCredentialsProvider credentials,
            Duration timeout, Clock clock) {
        this.service = service;
        this.endpoint = endpoint;
        this.region = region;
        this.credentials = credentials;
        this.clock = clock;
        this.api = RestClients.build(AwsJsonApi.class, endpoint, timeout, timeout);
    }

    /**
     * The service where this function runs: region, endpoint and credentials as described above.
     *
     * @param timeout the longest a connection may take to open and a reply to arrive
     */
    public static AwsJsonClient fromEnvironment(AwsJsonService service, Duration timeout, Clock clock) {
        Map<String, String> env = System.getenv();
        Region region = LambdaSdkSettings.region(env).orElseGet(() -> new DefaultAwsRegionProviderChain().getRegion());
        URI endpoint = AwsEndpoints.resolve(service, region, env, System::getProperty);
        AwsCredentialsProvider credentials = LambdaSdkSettings.credentials(env)
                .orElseGet(() -> DefaultCredentialsProvider.builder().build());
        return new AwsJsonClient(service, endpoint, region, credentials, timeout, clock);
    }

    /**
     * A client that sets itself up as {@link #fromEnvironment} does — the region from the environment, the endpoint
     * resolved by the same rules (the SDK's endpoint rules of the service when no endpoint is configured) — but sends
     * every call to {@code sendTo}, signed with {@code credentials}: what the priming at init runs a call through,
     * against a loopback server with placeholder credentials. Nothing is asked over the network: a region the
     * environment does not name is {@link #PLACEHOLDER_REGION}, not looked up.
     */
    public static AwsJsonClient rehearsal(AwsJsonService service, URI sendTo, AwsCredentialsProvider credentials,
            Duration timeout, Clock clock) {
        Map<String, String> env = System.getenv();
        Region region = LambdaSdkSettings.region(env).orElse(PLACEHOLDER_REGION);
        // Resolved and then not used: resolving it is the work the first real call does.
        AwsEndpoints.resolve(service, region, env, System::getProperty);
        return new AwsJsonClient(service, sendTo, region, credentials, timeout, clock);
    }

    /** The region of a rehearsal where the environment names none. */
    static final Region PLACEHOLDER_REGION = Region.US_EAST_1;

    /** The service at a given endpoint, region and credentials (a local engine in tests). */
    public static AwsJsonClient of(AwsJsonService service, URI endpoint, Region region,
            AwsCredentialsProvider credentials, Duration timeout, Clock clock) {
        return new AwsJsonClient(service, endpoint, region, credentials, timeout, clock);
    }

    /** Closes the REST client and with it its connections; the function's own clients live as long as the container. */
    @Override
    public void close() {
        RestClients.close(api);
    }

    /**
     * Sends one operation, signed now, and waits at most {@code timeout} for the whole reply.
     *
     * @throws NoReply when no reply came back in time (saying whether the request may have arrived)
     * @throws software.amazon.awssdk.core.exception.SdkException when the credentials could not be had (nothing was
     *     sent)
     */
    public Reply call(String operation, byte[] body, Duration timeout) {
        SignedJsonRequest request = SignedJsonRequest.sign(service, operation, endpoint, region,
                credentials.resolveCredentials(), body, clock);
        Response response;
        try {
            response = api.call(request.contentType(), request.target(), request.date(), request.securityToken(),
                    request.contentSha256(), request.authorization(), request.body())
                    // Waiting is bounded; on expiry the request is cancelled.
                    .await().atMost(timeout);
        } catch (RuntimeException e) {
            throw new NoReply(e.getClass().getSimpleName(), !ConnectionNeverMade.in(e));
        }
        try (response) {
            return new Reply(response.getStatus(), response.getHeaderString("x-amzn-ErrorType"),
                    response.hasEntity() ? response.readEntity(String.class) : null);
        } catch (RuntimeException e) {
            // The connection broke while the reply was read: the request had arrived.
            throw new NoReply(e.getClass().getSimpleName(), true);
        }
    }
}
