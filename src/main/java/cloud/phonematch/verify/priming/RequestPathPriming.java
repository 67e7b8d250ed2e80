package cloud.phonematch.verify.priming;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import cloud.phonematch.verify.aws.AwsJsonClient;
import cloud.phonematch.verify.config.VerifyConfig;
import cloud.phonematch.verify.output.Language;
import cloud.phonematch.verify.output.Outcome;
import cloud.phonematch.verify.output.ResultCode;
import cloud.phonematch.verify.output.VerificationStatus;
import cloud.phonematch.verify.precheck.MobileNumbers;
import cloud.phonematch.verify.records.DynamoDbRecordStore;
import cloud.phonematch.verify.records.IdempotencyRecords;
import cloud.phonematch.verify.records.RecordHashing;
import cloud.phonematch.verify.secrets.SecretsManagerAccess;
import cloud.phonematch.verify.secrets.TokenSecretFormat;
import cloud.phonematch.verify.upstream.CircuitBreakingGateway;
import cloud.phonematch.verify.upstream.LiveVerificationGateway;
import cloud.phonematch.verify.upstream.RequestBodies;
import cloud.phonematch.verify.upstream.VerificationApiClientFactory;
import cloud.phonematch.verify.verification.ApiToken;
import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.TimeSource;
import cloud.phonematch.verify.verification.UpstreamCall;
import cloud.phonematch.verify.verification.VerificationRecords;
import cloud.phonematch.verify.verification.VerificationResult;
import io.quarkus.runtime.ImageMode;
import io.vertx.core.Vertx;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The request path of a live invocation, run end to end before the first caller arrives, so that the first caller of a
 * new container does not wait for it to be loaded, linked and first run (AWS's "priming"): Secrets Manager's
 * GetSecretValue through its retry policy (SmallRye Fault Tolerance's interceptor), signed with the AWS SDK's SigV4
 * signer, its endpoint resolved as the real call resolves it (the SDK's endpoint rules when none is configured) and its
 * reply read as a token secret; the API's call through a circuit breaker of the same policy, the REST client on
 * Vert.x and Netty, and the mapping of its reply; and with a records table, an idempotency claim and settle on
 * DynamoDB (HMACs, the item's JSON, two signed conditional writes).
 * <p>
 * Every call goes to {@link LoopbackApis} on 127.0.0.1 and carries placeholders: no external network, no real secret
 * or credentials, no personal data. It touches none of the function's own state: its own REST clients, a circuit of
 * its own that no name reaches, its own request bodies (plaintext: no encryptor is built) and records store. When it
 * returns, its clients are closed and the server stopped; the function's own clients are still built on their first
 * real use. It logs nothing and writes no metric (a failure, which only means a slower first invocation, is a DEBUG
 * line naming the exception's class).
 * <p>
 * Runs once per process ({@link #primeOnce()}): at startup in an on-demand environment, or just before the SnapStart
 * snapshot ({@link SnapStartHooks}). Only for the live API on the JVM: the sandbox has no request path, and a native
 * executable neither loads classes nor compiles code at run time.
 */
@Singleton
public class RequestPathPriming {
    private static final Logger LOG = Logger.getLogger(RequestPathPriming.class);
    /** The longest any one step may take (server start and stop, each call). */
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** A valid mainland mobile number's shape and a name: placeholders that are nobody's. */
    static final String NAME = "测试";
    static final String MOBILE = "13800000000";
    private static final String PLACEHOLDER = "priming";
    private static final AwsCredentialsProvider PLACEHOLDER_CREDENTIALS = StaticCredentialsProvider.create(
            AwsSessionCredentials.create("PRIMINGPLACEHOLDER", "priming-placeholder", "priming-placeholder"));
    private static final byte[] PLACEHOLDER_HASH_KEY = new byte[32];

    private final Vertx vertx;
    private final VerifyConfig config;
    private final SecretsManagerAccess secrets;
    private final Clock clock;
    private final boolean enabled;
    private final AtomicBoolean ran = new AtomicBoolean();
    private volatile Rehearsal last;

    /**
     * What the loopback server answered and how the priming left it.
     *
     * @param port the port it listened on (closed when the priming returns)
     * @param leftOpen connections the priming's clients had not closed when it was done (closed by the server)
     */
    public record Rehearsal(int apiCalls, int secretReads, int recordWrites, int unknown, int port, int leftOpen) {
    }

    /** @param enabled {@code priming.request-path.enabled}: off in the tests, unless a test turns it on */
    public RequestPathPriming(Vertx vertx, VerifyConfig config, SecretsManagerAccess secrets, Clock clock,
            @ConfigProperty(name = "priming.request-path.enabled", defaultValue = "true") boolean enabled) {
        this.vertx = vertx;
        this.config = config;
        this.secrets = secrets;
        this.clock = clock;
        this.enabled = enabled;
    }

    /** Whether this process has a request path to prime: the live API, on the JVM, priming on. */
    public boolean applies() {
        return enabled && config.upstream() == VerifyConfig.Upstream.LIVE
                && ImageMode.current() != ImageMode.NATIVE_RUN;
    }

    /**
     * Runs the request path once, unless it does not {@link #applies() apply} or already ran in this process.
     *
     * @return what the loopback server answered; empty when nothing ran or the priming failed
     */
    public Optional<Rehearsal> primeOnce() {
        if (!applies() || !ran.compareAndSet(false, true)) {
            return Optional.empty();
        }
        try {
            last = prime(1, recordsTable());
            return Optional.of(last);
        } catch (RuntimeException e) {
            LOG.debugf("priming the request path failed: %s", e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    /** What the priming of this process left, once it has run. */
    public Optional<Rehearsal> last() {
        return Optional.ofNullable(last);
    }

    /**
     * Runs the request path {@code rounds} times against a loopback server started for it and stopped after.
     *
     * @param withRecords whether the records' claim and settle on DynamoDB are part of it (a records table is set)
     */
    Rehearsal prime(int rounds, boolean withRecords) {
        LoopbackApis apis = LoopbackApis.start(vertx, config.tokenSecretField(), TIMEOUT);
        try {
            try (AwsJsonClient secretsClient = AwsJsonClient.rehearsal(SecretsManagerAccess.SECRETS_MANAGER,
                    apis.uri(), PLACEHOLDER_CREDENTIALS, TIMEOUT, clock);
                    VerificationApiClientFactory api = VerificationApiClientFactory.at(apis.uri(), config);
                    AwsJsonClient recordsClient = withRecords ? AwsJsonClient.rehearsal(DynamoDbRecordStore.DYNAMODB,
                            apis.uri(), PLACEHOLDER_CREDENTIALS, TIMEOUT, clock) : null) {
                CircuitBreakingGateway gateway = CircuitBreakingGateway.unregistered(
                        new LiveVerificationGateway(api, clock, RequestBodies.plaintext()), config);
                Optional<VerificationRecords> records = Optional.ofNullable(recordsClient)
                        .map(client -> new IdempotencyRecords(DynamoDbRecordStore.through(client, PLACEHOLDER, TIMEOUT),
                                deadline -> new RecordHashing(PLACEHOLDER_HASH_KEY), clock, config.idempotencyTtl(),
                                config.retryOnTimeout()));
                for (int i = 0; i < rounds; i++) {
                    round(secretsClient, gateway, records);
                }
            }
        } finally {
            apis.close();
        }
        return new Rehearsal(apis.answered(LoopbackApis.Service.VERIFICATION_API),
                apis.answered(LoopbackApis.Service.SECRETS_MANAGER), apis.answered(LoopbackApis.Service.DYNAMODB),
                apis.answered(LoopbackApis.Service.UNKNOWN), apis.port(), apis.leftOpen());
    }

    /** What a live invocation does: the token, the claim (with a records table), the call, the settle. */
    private void round(AwsJsonClient secretsClient, CircuitBreakingGateway gateway,
            Optional<VerificationRecords> records) {
        Deadline deadline = Deadline.of(TimeSource.SYSTEM, TimeSource.SYSTEM.nanoTime(), 5 * TIMEOUT.toMillis(),
                Duration.ZERO, Duration.ZERO);
        ApiToken token = TokenSecretFormat.parse(secrets.secretString(secretsClient, PLACEHOLDER, deadline),
                config.tokenSecretField(), config.hashKeyField())
                .orElseThrow(() -> new IllegalStateException("the played secret held no token"));
        Optional<VerificationRecords.Claim> claim = records.map(r -> r.claim(
                new VerificationRecords.KeyedRequest(PLACEHOLDER, NAME, MOBILE), deadline));
        gateway.check(new UpstreamCall(NAME, MOBILE, token, PLACEHOLDER), TIMEOUT);
        if (claim.orElse(null) instanceof VerificationRecords.Claim.Granted granted) {
            records.get().settle(granted, answered(), deadline);
        }
    }

    private static VerificationResult answered() {
        return new VerificationResult.Answered(new Outcome(VerificationStatus.CONSISTENT, ResultCode.CONSISTENT,
                ResultCode.CONSISTENT.description(Language.EN), MobileNumbers.mask(MOBILE), null,
                Outcome.AnsweredBy.API, 1, PLACEHOLDER, PLACEHOLDER, PLACEHOLDER, 0, null), 0);
    }

    private boolean recordsTable() {
        return config.recordsTable().filter(t -> !t.isBlank()).isPresent();
    }
}
