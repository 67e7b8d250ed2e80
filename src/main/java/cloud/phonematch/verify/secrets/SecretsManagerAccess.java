package cloud.phonematch.verify.secrets;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;

import cloud.phonematch.verify.aws.AwsJsonClient;
import cloud.phonematch.verify.aws.AwsJsonService;
import cloud.phonematch.verify.config.VerifyConfig;
import cloud.phonematch.verify.output.Json;
import cloud.phonematch.verify.verification.Deadline;
import software.amazon.awssdk.services.secretsmanager.endpoints.SecretsManagerEndpointParams;
import software.amazon.awssdk.services.secretsmanager.endpoints.SecretsManagerEndpointProvider;

/**
 * Reads a secret with GetSecretValue, one signed POST in Secrets Manager's AWS JSON 1.1 protocol
 * ({@link AwsJsonClient}: the AWS SDK's signer, credentials providers and endpoint rules, the function's REST client).
 * The client is set up on first use — never during init, so no connection or credentials are captured in a SnapStart
 * snapshot.
 * <p>
 * Why not the SDK's {@code SecretsManagerClient}, as Powertools does: for one call per container it loaded some
 * 1,050 more classes, 13 MiB of resident memory and about 450 ms of every cold start's first invocation
 * (BENCHMARKS.md).
 */
@ApplicationScoped
public class SecretsManagerAccess {
    /**
     * Secrets Manager: AWS JSON 1.1, endpoint settings {@code aws.endpointUrlSecretsManager} /
     * {@code AWS_ENDPOINT_URL_SECRETS_MANAGER}, the SDK's Secrets Manager endpoint rules (Secrets Manager's
     * dual-stack endpoints are its ordinary host names).
     */
    public static final AwsJsonService SECRETS_MANAGER = new AwsJsonService("secretsmanager", "secretsmanager",
            AwsJsonService.JSON_1_1, "aws.endpointUrlSecretsManager", "AWS_ENDPOINT_URL_SECRETS_MANAGER",
            (region, fips) -> SecretsManagerEndpointProvider.defaultProvider()
                    .resolveEndpoint(SecretsManagerEndpointParams.builder().region(region).useFips(fips).build())
                    .join().url());
    /**
     * The shortest call to Secrets Manager worth starting: a GetSecretValue in the same region answers in tens of
     * milliseconds once connected, and the first call of a container also opens the TLS connection.
     */
    static final Duration MIN_TRY = Duration.ofMillis(150);

    private final VerifyConfig config;
    private final Clock clock;
    private AwsJsonClient client;

    public SecretsManagerAccess(VerifyConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /**
     * The secret's SecretString (null when it only has a SecretBinary), read through this function's client, which is
     * set up on the first read; retried as {@link #secretString(AwsJsonClient, String, Deadline)} says.
     *
     * @throws SecretsManagerBusy when it stayed unavailable
     * @throws SecretsManagerOutOfTime when the deadline left no time for (another) call
     * @throws SecretsManagerRefusal for a refusal that repeating cannot fix
     */
    public String secretString(String secretId, Deadline deadline) {
        // Through the bean's own interception of the method below (Quarkus intercepts calls a bean makes on itself).
        return secretString(client(), secretId, deadline);
    }

    /**
     * The secret's SecretString (null when it only has a SecretBinary), read through {@code client}: this function's
     * own, or the priming's at init, against its loopback server.
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
    public String secretString(AwsJsonClient client, String secretId, Deadline deadline) {
        Duration left = deadline.remaining();
        if (left.compareTo(MIN_TRY) < 0) {
            throw new SecretsManagerOutOfTime();
        }
        AwsJsonClient.Reply reply;
        try {
            reply = client.call("GetSecretValue", getSecretValue(secretId),
                    deadline.remainingAtMost(config.secretTimeout()));
        } catch (AwsJsonClient.NoReply e) {
            // Connection failures, timeouts, a reply that broke while being read: all worth another try.
            throw new SecretsManagerBusy(e.getMessage());
        }
        return SecretsManagerReply.secretString(reply.status(), reply.errorType(), reply.body());
    }

    /** Whether this function's own client has been set up (and so may hold a connection). */
    public synchronized boolean connected() {
        return client != null;
    }

    /** The body of GetSecretValue: {@code {"SecretId": ...}}, exactly as the SDK's own client sends it. */
    static byte[] getSecretValue(String secretId) {
        return Json.bytes(Json.object().put("SecretId", secretId));
    }

    private synchronized AwsJsonClient client() {
        if (client == null) {
            client = AwsJsonClient.fromEnvironment(SECRETS_MANAGER, config.secretTimeout(), clock);
        }
        return client;
    }
}
