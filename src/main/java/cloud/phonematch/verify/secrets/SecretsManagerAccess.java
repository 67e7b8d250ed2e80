package cloud.phonematch.verify.secrets;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.Retry;

import cloud.phonematch.verify.config.VerifyConfig;
import cloud.phonematch.verify.verification.Deadline;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Reads a secret with GetSecretValue: the AWS SDK's SigV4 signer, credentials providers and endpoint rules, and
 * the function's own REST client for the one HTTP call. Everything is set up on first use — never during init, so
 * no connection or credentials are captured in a SnapStart snapshot.
 * <p>
 * Why not the SDK's {@code SecretsManagerClient}, as Powertools does: for one call per container it loaded some
 * 1,050 more classes (its request pipeline, interceptors, marshallers, retry and metrics machinery, and a second
 * HTTP stack beside the REST client's), 13 MiB of resident memory and about 450 ms of every cold start's first
 * invocation (BENCHMARKS.md). The parts that must be right — signing, credentials, the endpoint per partition —
 * are still the SDK's; what is ours is a POST with a target header and a JSON body.
 * <p>
 * Region from {@code AWS_REGION} and, in an on-demand environment, credentials from the environment Lambda sets for
 * the function's role ({@link LambdaSdkSettings}); elsewhere the SDK's default chains. Endpoint as the SDK resolves
 * it ({@link SecretsManagerEndpoint}).
 */
@ApplicationScoped
public class SecretsManagerAccess {
    /**
     * The shortest call to Secrets Manager worth starting: a GetSecretValue in the same region answers in tens of
     * milliseconds once connected, and the first call of a container also opens the TLS connection.
     */
    static final Duration MIN_TRY = Duration.ofMillis(150);

    private final VerifyConfig config;
    private final Clock clock;
    private Connection connection;

    public SecretsManagerAccess(VerifyConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** What the first call sets up and later calls reuse. */
    private record Connection(SecretsManagerApi api, URI endpoint, Region region, AwsCredentialsProvider credentials) {
    }

    /**
     * The secret's SecretString (null when it only has a SecretBinary).
     * <p>
     * Fault tolerance: each call is bounded by {@code VERIFY_SECRET_TIMEOUT} and by the time {@code deadline} has
     * left, and a call is not started with less than {@link #MIN_TRY} left; when Secrets Manager throttles, fails
     * with a 5xx, cannot be reached or does not answer in time, the call is repeated up to twice more, 100 ms apart
     * (±100 ms jitter), within 3 s in all and never past the deadline — a read is free and idempotent, so repeating
     * it is always safe. A missing secret or a denied read is not repeated: only a person can fix those. These
     * failures never count toward the verification API's circuit breaker.
     *
     * @throws SecretsManagerBusy when it stayed unavailable
     * @throws SecretsManagerOutOfTime when the deadline left no time for (another) call
     * @throws SecretsManagerRefusal for a refusal that repeating cannot fix
     */
    @Retry(maxRetries = 2, delay = 100, jitter = 100, maxDuration = 3000, retryOn = SecretsManagerBusy.class)
    public String secretString(String secretId, Deadline deadline) {
        Duration left = deadline.remaining();
        if (left.compareTo(MIN_TRY) < 0) {
            throw new SecretsManagerOutOfTime();
        }
        Duration timeout = left.compareTo(config.secretTimeout()) < 0 ? left : config.secretTimeout();
        Connection c = connection();
        SignedSecretRequest request = SignedSecretRequest.sign(c.endpoint(), c.region(),
                c.credentials().resolveCredentials(), secretId, clock);
        Response response;
        try {
            response = c.api().call(request.target(), request.date(), request.securityToken(), request.contentSha256(),
                    request.authorization(), request.body()).await().atMost(timeout);
        } catch (RuntimeException e) {
            // Connection failures and timeouts; the message is not kept (it may name hosts or payloads).
            throw new SecretsManagerBusy(e.getClass().getSimpleName());
        }
        int status;
        String errorType;
        String text;
        try (response) {
            status = response.getStatus();
            errorType = response.getHeaderString("x-amzn-ErrorType");
            text = response.hasEntity() ? response.readEntity(String.class) : null;
        } catch (RuntimeException e) {
            // The connection broke while the reply was read: as transient as a failure to connect.
            throw new SecretsManagerBusy(e.getClass().getSimpleName());
        }
        return SecretsManagerReply.secretString(status, errorType, text);
    }

    private synchronized Connection connection() {
        if (connection == null) {
            Map<String, String> env = System.getenv();
            Region region = LambdaSdkSettings.region(env).orElseGet(() -> new DefaultAwsRegionProviderChain().getRegion());
            URI endpoint = SecretsManagerEndpoint.resolve(region, env, System::getProperty);
            AwsCredentialsProvider credentials = LambdaSdkSettings.credentials(env)
                    .orElseGet(() -> DefaultCredentialsProvider.builder().build());
            long timeoutMs = config.secretTimeout().toMillis();
            SecretsManagerApi api = QuarkusRestClientBuilder.newBuilder()
                    .baseUri(endpoint)
                    .connectTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                    .readTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                    .disableDefaultMapper(true)
                    .build(SecretsManagerApi.class);
            connection = new Connection(api, endpoint, region, credentials);
        }
        return connection;
    }
}
