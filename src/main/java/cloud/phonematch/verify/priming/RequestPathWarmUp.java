package cloud.phonematch.verify.priming;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

import cloud.phonematch.verify.aws.AwsJsonClient;
import cloud.phonematch.verify.config.VerifyConfig;
import cloud.phonematch.verify.output.Json;
import cloud.phonematch.verify.records.DynamoDbRecordStore;
import cloud.phonematch.verify.records.IdempotencyRecords;
import cloud.phonematch.verify.records.InMemoryRecordStore;
import cloud.phonematch.verify.records.RecordHashing;
import cloud.phonematch.verify.secrets.SecretsManagerAccess;
import cloud.phonematch.verify.secrets.SecretsManagerOutOfTime;
import cloud.phonematch.verify.secrets.TokenSecretFormat;
import cloud.phonematch.verify.upstream.CircuitBreakingGateway;
import cloud.phonematch.verify.upstream.RequestBodies;
import cloud.phonematch.verify.upstream.UpstreamReplyTable;
import cloud.phonematch.verify.upstream.VerificationApiClientFactory;
import cloud.phonematch.verify.verification.ApiToken;
import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.TimeSource;
import cloud.phonematch.verify.verification.UpstreamAnswer;
import cloud.phonematch.verify.verification.UpstreamCall;
import cloud.phonematch.verify.verification.VerificationGateway;
import cloud.phonematch.verify.verification.VerificationRecords;

/**
 * The request path's own code without a connection: what of it can run before the first caller at a small cost. Each
 * client is set up as the function's own are — region, endpoint resolution (the SDK's endpoint rules when no endpoint
 * is configured), the REST client built — and closed unused; GetSecretValue and (with a records table) PutItem are
 * signed with SigV4 but not sent; the read of the secret enters its retry policy (SmallRye Fault Tolerance's
 * interceptor) with a deadline already passed, which ends it before any call; the token secret's JSON is read; the
 * API's request body is written and a canned reply mapped, inside a circuit of the same policy as the API's (one of
 * its own); and with a records table an idempotency claim and settle run on an in-memory store of their own.
 * <p>
 * What it leaves to the first invocation: the connection and the HTTP exchange (Vert.x and Netty's client, the REST
 * client's request and reply handling), which only a server could answer; {@link RequestPathRehearsal} runs those too,
 * against a loopback server, where the init is on no caller's path.
 */
final class RequestPathWarmUp {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** A 200 from the API, in its documented shape. */
    private static final String API_REPLY = "{\"result\":\"0\",\"description\":\"priming\",\"trace_id\":\"priming\"}";

    private final VerifyConfig config;
    private final SecretsManagerAccess secrets;
    private final Clock clock;
    /** Where its clients point; nothing is sent there. */
    private final URI nowhere;

    RequestPathWarmUp(VerifyConfig config, SecretsManagerAccess secrets, Clock clock, URI nowhere) {
        this.config = config;
        this.secrets = secrets;
        this.clock = clock;
        this.nowhere = nowhere;
    }

    /** @param withRecords whether the records' claim and settle are part of it (a records table is set) */
    void run(boolean withRecords) {
        Deadline passed = Deadline.of(TimeSource.SYSTEM, TimeSource.SYSTEM.nanoTime(), 1, Duration.ZERO,
                Duration.ZERO);
        try (AwsJsonClient secretsClient = AwsJsonClient.rehearsal(SecretsManagerAccess.SECRETS_MANAGER,
                nowhere, Placeholders.CREDENTIALS, TIMEOUT, clock);
                VerificationApiClientFactory api = VerificationApiClientFactory.at(nowhere, config)) {
            secretsClient.sign("GetSecretValue", Json.bytes(Json.object().put("SecretId", Placeholders.ID)));
            try {
                secrets.secretString(secretsClient, Placeholders.ID, passed);
            } catch (SecretsManagerOutOfTime expected) {
                // The deadline had passed: the policy ran, nothing was sent.
            }
            ApiToken token = TokenSecretFormat.parse(Json.write(Json.object().put(config.tokenSecretField(),
                    Placeholders.ID)), config.tokenSecretField(), config.hashKeyField()).orElseThrow();
            api.api();
            CircuitBreakingGateway.unregistered(new CannedReply(new UpstreamReplyTable(clock)), config)
                    .check(new UpstreamCall(Placeholders.NAME, Placeholders.MOBILE, token, Placeholders.ID), TIMEOUT);
            if (withRecords) {
                records();
            }
        }
    }

    /** A claim and a settle on a store of its own in memory, and PutItem signed as the table's store signs it. */
    private void records() {
        try (AwsJsonClient recordsClient = AwsJsonClient.rehearsal(DynamoDbRecordStore.DYNAMODB,
                nowhere, Placeholders.CREDENTIALS, TIMEOUT, clock)) {
            recordsClient.sign("PutItem", Json.bytes(Json.object().put("TableName", Placeholders.ID)));
        }
        Deadline deadline = Deadline.of(TimeSource.SYSTEM, TimeSource.SYSTEM.nanoTime(), 5 * TIMEOUT.toMillis(),
                Duration.ZERO, Duration.ZERO);
        VerificationRecords records = new IdempotencyRecords(new InMemoryRecordStore(),
                d -> new RecordHashing(Placeholders.HASH_KEY), clock, config.idempotencyTtl(), config.retryOnTimeout());
        if (records.claim(new VerificationRecords.KeyedRequest(Placeholders.ID, Placeholders.NAME,
                Placeholders.MOBILE), deadline) instanceof VerificationRecords.Claim.Granted granted) {
            records.settle(granted, RequestPathRehearsal.answered(), deadline);
        }
    }

    /** The live gateway's work without the call: the request body written, a 200 reply of the API mapped. */
    private static final class CannedReply implements VerificationGateway {
        private final UpstreamReplyTable table;
        private final RequestBodies bodies = RequestBodies.plaintext();

        CannedReply(UpstreamReplyTable table) {
            this.table = table;
        }

        @Override
        public UpstreamAnswer check(UpstreamCall call, Duration timeout) {
            Json.bytes(bodies.bodyFor(call));
            return table.map(200, API_REPLY, null);
        }

        @Override
        public boolean requiresToken() {
            return true;
        }
    }
}
