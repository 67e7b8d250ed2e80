package cloud.phonematch.verify.secrets;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import cloud.phonematch.verify.aws.AwsJsonClient;
import cloud.phonematch.verify.aws.AwsJsonService;
import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.priming.FunctionClient;
import cloud.phonematch.verify.verification.ChargeRule;
import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.RenewableRandom;
import cloud.phonematch.verify.verification.Retries;
import cloud.phonematch.verify.verification.TimeSource;
import cloud.phonematch.verify.verification.RenewableAfterRestore;
import software.amazon.awssdk.services.secretsmanager.endpoints.SecretsManagerEndpointParams;
import software.amazon.awssdk.services.secretsmanager.endpoints.SecretsManagerEndpointProvider;

/**
 * Reads a secret with GetSecretValue, one signed POST in Secrets Manager's AWS JSON 1.1 protocol
 * ({@link AwsJsonClient}: the AWS SDK's signer, credentials providers and endpoint rules, the function's REST client).
 * The client is set up on first use, or at the end of an init no snapshot follows ({@link FunctionClient}) — never
 * before a SnapStart snapshot, so none captures a connection or credentials.
 * <p>
 * Why not the SDK's {@code SecretsManagerClient}, as Powertools does: for one call per container it loaded some
 * 1,050 more classes, 13 MiB of resident memory and about 450 ms of every cold start's first invocation
 * (BENCHMARKS.md).
 */
@ApplicationScoped
public class SecretsManagerAccess implements RenewableAfterRestore, FunctionClient {
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
    /** The longest a read may take in all, its repeats included, whatever time the invocation has. */
    static final Duration LONGEST_READ = Duration.ofSeconds(3);
    /** Up to three tries, a random wait of up to 200 ms before each repeat. */
    static final int MAX_TRIES = 3;
    static final Duration MAX_WAIT = Duration.ofMillis(200);

    private final TokenSettings config;
    private final Clock clock;
    private final Retries retries;
    /** The waits before a repeat, drawn anew after a SnapStart restore (restored containers retry out of step). */
    private final RenewableRandom jitter = new RenewableRandom();
    private AwsJsonClient client;

    public SecretsManagerAccess(TokenSettings config, Clock clock, TimeSource time) {
        this.config = config;
        this.clock = clock;
        // A read changes nothing: whether it may be repeated does not depend on the operator's choice about the
        // paid call.
        this.retries = new Retries(ChargeRule.standard(), time, () -> jitter.current().nextDouble());
    }

    /**
     * The secret's SecretString (null when it only has a SecretBinary), read through this function's client, which is
     * set up on the first read; tried as {@link #secretString(AwsJsonClient, String, Deadline)} says.
     *
     * @throws SecretsManagerBusy when it stayed unavailable
     * @throws SecretsManagerOutOfTime when the deadline left no time for (another) call
     * @throws SecretsManagerRefusal for a refusal that repeating cannot fix
     */
    public String secretString(String secretId, Deadline deadline) {
        return secretString(client(), secretId, deadline);
    }

    /**
     * The secret's SecretString (null when it only has a SecretBinary), read through {@code client}: this function's
     * own, or the rehearsal's at init ({@link SecretReadRehearsal}), against its loopback server.
     * <p>
     * Fault tolerance, through {@link Retries}: each call is bounded by {@code VERIFY_SECRET_TIMEOUT} and by the time
     * {@code deadline} has left, and a call is not started with less than {@link #MIN_TRY} left; when Secrets Manager
     * throttles, fails with a 5xx, cannot be reached or does not answer in time, the call is repeated up to twice more
     * after a random wait of up to 200 ms, within {@link #LONGEST_READ} in all and never past the deadline — a read
     * changes nothing, so the charge rule always lets it be repeated. A missing secret or a denied read is not
     * repeated: only a person can fix those. These failures never count toward the verification API's circuit
     * breaker.
     *
     * @throws SecretsManagerBusy when it stayed unavailable
     * @throws SecretsManagerOutOfTime when the deadline left no time for (another) call
     * @throws SecretsManagerRefusal for a refusal that repeating cannot fix
     */
    String secretString(AwsJsonClient client, String secretId, Deadline deadline) {
        byte[] body = getSecretValue(secretId);
        Retries.Schedule schedule = new Retries.Schedule(MAX_TRIES, MAX_WAIT, MAX_WAIT, config.secretTimeout(),
                MIN_TRY);
        Retries.Result<Read, RuntimeException> result = retries.run(ChargeRule.Call.READ, schedule,
                deadline.within(LONGEST_READ), timeout -> once(client, body, timeout));
        if (result.value().isPresent()) {
            return result.value().get().secretString();
        }
        if (result.stop() == Retries.Stop.DEADLINE) {
            throw new SecretsManagerOutOfTime();
        }
        throw result.lastFailure().orElseThrow().failure();
    }

    /** A read's SecretString, which may be null. */
    private record Read(String secretString) {
    }

    private static Retries.Ending<Read, RuntimeException> once(AwsJsonClient client, byte[] body, Duration timeout) {
        AwsJsonClient.Reply reply;
        try {
            reply = client.call("GetSecretValue", body, timeout);
        } catch (AwsJsonClient.NoReply e) {
            // Connection failures, timeouts, a reply that broke while being read: all worth another try.
            return Retries.Failed.of(new SecretsManagerBusy(e.getMessage()), ChargeRule.noReply(e.mayHaveArrived()),
                    Retries.Again.AFTER_A_WAIT);
        }
        ChargeRule.Effect effect = ChargeRule.errorStatus(ChargeRule.Peer.SECRETS_MANAGER, reply.status());
        try {
            return new Retries.Done<>(new Read(SecretsManagerReply.secretString(reply.status(), reply.errorType(),
                    reply.body())));
        } catch (SecretsManagerBusy e) {
            return Retries.Failed.of(e, effect, Retries.Again.AFTER_A_WAIT);
        } catch (SecretsManagerRefusal e) {
            return Retries.Failed.of(e, effect, Retries.Again.NO);
        }
    }

    @Override
    public void renewAfterRestore() {
        jitter.renewAfterRestore();
    }

    /** Builds this function's own client (region, endpoint, credentials chain), without a call. */
    @Override
    public void setUp() {
        client();
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
