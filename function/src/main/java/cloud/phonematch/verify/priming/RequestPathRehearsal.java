package cloud.phonematch.verify.priming;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import cloud.phonematch.verify.records.RecordsSettings;
import cloud.phonematch.verify.secrets.TokenSettings;
import cloud.phonematch.verify.upstream.ApiSettings;
import cloud.phonematch.verify.verification.AttemptSettings;
import cloud.phonematch.verify.aws.AwsJsonClient;
import cloud.phonematch.verify.output.Language;
import cloud.phonematch.verify.output.Outcome;
import cloud.phonematch.verify.output.ResultCode;
import cloud.phonematch.verify.output.VerificationStatus;
import cloud.phonematch.verify.precheck.MobileNumbers;
import cloud.phonematch.verify.records.DynamoDbRecordStore;
import cloud.phonematch.verify.records.StoredVerificationRecords;
import cloud.phonematch.verify.records.RecordHashing;
import cloud.phonematch.verify.records.RecordsTiming;
import cloud.phonematch.verify.secrets.SecretsManagerAccess;
import cloud.phonematch.verify.secrets.TokenSecretFormat;
import cloud.phonematch.verify.upstream.CircuitBreakingVerificationGateway;
import cloud.phonematch.verify.upstream.LiveVerificationGateway;
import cloud.phonematch.verify.upstream.RequestBodies;
import cloud.phonematch.verify.upstream.VerificationApiClientFactory;
import cloud.phonematch.verify.verification.ApiToken;
import cloud.phonematch.verify.verification.ChargeRule;
import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.TimeSource;
import cloud.phonematch.verify.verification.UpstreamCall;
import cloud.phonematch.verify.verification.VerificationRecords;
import cloud.phonematch.verify.verification.VerificationResult;
import cloud.phonematch.verify.verification.Verdict;
import io.vertx.core.Vertx;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The request path of a live invocation run end to end against {@link LoopbackApis}: GetSecretValue through its retry
 * policy (SmallRye Fault Tolerance's interceptor) and SigV4, its reply read as a token secret; the API's call through a
 * circuit of the same policy and the REST client on Vert.x and Netty, its reply mapped; and with a records table, an
 * idempotency claim and settle on DynamoDB (HMACs, the item's JSON, two signed conditional writes). Each client is
 * set up as the function's own are (region, endpoint resolution), then pointed at the loopback server.
 * <p>
 * Placeholders only: placeholder credentials, secret id, token, name and number. None of the function's own state is
 * touched: its own REST clients, a circuit of its own that no name reaches, plaintext request bodies (no encryptor is
 * built), a records store and hash key of its own. When it returns, its clients are closed and the server is stopped.
 */
final class RequestPathRehearsal {
    /** The longest any one step may take (server start and stop, each call). */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Vertx vertx;
    private final ApiSettings apiSettings;
    private final AttemptSettings attemptSettings;
    private final TokenSettings tokenSettings;
    private final RecordsSettings recordsSettings;
    private final SecretsManagerAccess secrets;
    private final Clock clock;

    RequestPathRehearsal(Vertx vertx, ApiSettings api, AttemptSettings attempts, TokenSettings token,
            RecordsSettings records, SecretsManagerAccess secrets, Clock clock) {
        this.vertx = vertx;
        this.apiSettings = api;
        this.attemptSettings = attempts;
        this.tokenSettings = token;
        this.recordsSettings = records;
        this.secrets = secrets;
        this.clock = clock;
    }

    /**
     * Runs the path {@code rounds} times against a loopback server started for it and stopped after.
     *
     * @param withRecords whether the records' claim and settle on DynamoDB are part of it (a records table is set)
     */
    RequestPathPriming.Rehearsal run(int rounds, boolean withRecords) {
        AwsCredentialsProvider credentials = Placeholders.credentials();
        LoopbackApis apis = LoopbackApis.start(vertx, tokenSettings.tokenSecretField(), TIMEOUT);
        try {
            try (AwsJsonClient secretsClient = AwsJsonClient.rehearsal(SecretsManagerAccess.SECRETS_MANAGER,
                    apis.uri(), credentials, TIMEOUT, clock);
                    VerificationApiClientFactory api = VerificationApiClientFactory.at(apis.uri(), apiSettings, attemptSettings);
                    AwsJsonClient recordsClient = withRecords ? AwsJsonClient.rehearsal(DynamoDbRecordStore.DYNAMODB,
                            apis.uri(), credentials, TIMEOUT, clock) : null) {
                CircuitBreakingVerificationGateway gateway = CircuitBreakingVerificationGateway.unregistered(
                        new LiveVerificationGateway(api, clock, RequestBodies.plaintext()), apiSettings);
                Optional<VerificationRecords> records = Optional.ofNullable(recordsClient)
                        .map(client -> new StoredVerificationRecords(DynamoDbRecordStore.through(client, Placeholders.ID,
                                TIMEOUT), deadline -> new RecordHashing(Placeholders.HASH_KEY), clock,
                                new RecordsTiming(recordsSettings.idempotencyTtl(), recordsSettings.clockSkewMargin()),
                                ChargeRule.of(attemptSettings.repeatPossiblyCharged())));
                for (int i = 0; i < rounds; i++) {
                    round(secretsClient, gateway, records);
                }
            }
        } finally {
            apis.close();
        }
        return new RequestPathPriming.Rehearsal(apis.answered(LoopbackApis.Service.VERIFICATION_API),
                apis.answered(LoopbackApis.Service.SECRETS_MANAGER), apis.answered(LoopbackApis.Service.DYNAMODB),
                apis.answered(LoopbackApis.Service.UNKNOWN), apis.stopped(), apis.leftOpen());
    }

    /** What a live invocation does: the token, the claim (with a records table), the call, the settle. */
    private void round(AwsJsonClient secretsClient, CircuitBreakingVerificationGateway gateway,
            Optional<VerificationRecords> records) {
        Deadline deadline = Deadline.of(TimeSource.SYSTEM, TimeSource.SYSTEM.nanoTime(), 5 * TIMEOUT.toMillis(),
                Duration.ZERO, Duration.ZERO);
        ApiToken token = TokenSecretFormat.parse(secrets.secretString(secretsClient, Placeholders.ID, deadline),
                tokenSettings.tokenSecretField(), tokenSettings.hashKeyField())
                .orElseThrow(() -> new IllegalStateException("the played secret held no token"));
        Optional<VerificationRecords.Claim> claim = records.map(r -> r.claim(
                new VerificationRecords.KeyedRequest(Placeholders.ID, null, Placeholders.NAME, Placeholders.MOBILE,
                        false),
                deadline));
        gateway.check(new UpstreamCall(Placeholders.NAME, Placeholders.MOBILE, token, Placeholders.ID), TIMEOUT);
        if (claim.orElse(null) instanceof VerificationRecords.Claim.Granted granted) {
            records.get().settle(granted, answered(), deadline);
        }
    }

    /** A charged answer, as the settle of a claim records it. */
    static VerificationResult answered() {
        String masked = MobileNumbers.mask(Placeholders.MOBILE);
        return new VerificationResult.Answered(new Verdict(VerificationStatus.CONSISTENT, ResultCode.CONSISTENT,
                masked, Outcome.AnsweredBy.API, Placeholders.ID, null), new Outcome(VerificationStatus.CONSISTENT,
                ResultCode.CONSISTENT, ResultCode.CONSISTENT.description(Language.EN), masked, null,
                Outcome.AnsweredBy.API, 1, Placeholders.ID, Placeholders.ID, Placeholders.ID, 0, null), 0);
    }
}
