package cloud.phonematch.verify.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import cloud.phonematch.verify.aws.AwsJsonClient;
import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.output.Outcome;
import cloud.phonematch.verify.output.VerificationStatus;
import cloud.phonematch.verify.support.LocalDynamoDb;
import cloud.phonematch.verify.verification.ApiToken;
import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.TimeSource;
import cloud.phonematch.verify.verification.TokenSource;
import cloud.phonematch.verify.verification.VerificationRecords.Claim;
import cloud.phonematch.verify.verification.VerificationRecords.KeyedRequest;
import cloud.phonematch.verify.verification.VerificationResult;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The idempotency rules across containers: each "container" is its own {@link StoredVerificationRecords} with its own
 * DynamoDB store client, all on one table of a real DynamoDB engine ({@link LocalDynamoDb}) and the hash key of one
 * token secret.
 */
@QuarkusTest
@ExtendWith(LocalDynamoDb.class)
class SharedRecordsTest {
    private static final String TABLE = "shared-" + UUID.randomUUID();
    private static final String HASH_KEY = "c2hhcmVkLXJlY29yZHMtaGFzaC1rZXktZm9yLXRlc3Rz";
    private static final String NAME = "张三丰";
    private static final String MOBILE = "13912345670";
    private static AwsJsonClient client;

    @BeforeAll
    static void createTable() {
        client = LocalDynamoDb.client(Duration.ofSeconds(2));
        LocalDynamoDb.createTable(TABLE);
    }

    /** One container: its own store client and records, the shared table and the secret's hash key. */
    private static StoredVerificationRecords container() {
        TokenSource secret = new TokenSource() {
            @Override
            public ApiToken current(Deadline deadline) {
                return new ApiToken("token", null, HASH_KEY);
            }

            @Override
            public Optional<ApiToken> refreshAfterRejection(ApiToken rejected, Deadline deadline) {
                return Optional.empty();
            }
        };
        DynamoDbRecordStore store = new DynamoDbRecordStore(TABLE, Duration.ofSeconds(2), TimeSource.SYSTEM,
                () -> client);
        return RecordsTesting.records(store, HashKeys.fromSecret(secret, "hash_key"), Clock.systemUTC(), false);
    }

    private static Deadline deadline() {
        return RecordsTesting.tenSeconds();
    }

    private static KeyedRequest request(String key) {
        return RecordsTesting.keyed(key, NAME, MOBILE);
    }

    private static VerificationResult.Answered consistent() {
        return RecordsTesting.consistent();
    }

    @Test
    void anAnswerGivenOnOneContainerIsReplayedOnAnother() {
        String key = "order-" + UUID.randomUUID();
        StoredVerificationRecords a = container();
        Claim.Granted granted = assertInstanceOf(Claim.Granted.class, a.claim(request(key), deadline()));
        a.settle(granted, consistent(), deadline());

        Claim.Replayed replayed = assertInstanceOf(Claim.Replayed.class, container().claim(request(key), deadline()));
        assertEquals(VerificationStatus.CONSISTENT, replayed.verdict().status());
        assertEquals("trace-1", replayed.verdict().upstreamTraceId());
    }

    @Test
    void aPossiblyChargedFailureOnOneContainerIsRefusedOnAnotherAndAnUnchargedOneIsReleased() {
        String charged = "order-" + UUID.randomUUID();
        String free = "order-" + UUID.randomUUID();
        StoredVerificationRecords a = container();
        a.settle(assertInstanceOf(Claim.Granted.class, a.claim(request(charged), deadline())),
                new VerificationResult.Failed(Failure.of(ErrorType.UPSTREAM_TIMEOUT, "t").maybeCharged(), 1, "m", null,
                        1_000), deadline());
        a.settle(assertInstanceOf(Claim.Granted.class, a.claim(request(free), deadline())),
                VerificationResult.Failed.withoutACall(Failure.of(ErrorType.RATE_LIMITED, "429"), "m"), deadline());

        StoredVerificationRecords b = container();
        Failure refused = assertInstanceOf(Claim.Refused.class, b.claim(request(charged), deadline())).failure();
        assertTrue(refused.outcomeUnknown());
        assertInstanceOf(Claim.Granted.class, b.claim(request(free), deadline()));
    }

    @Test
    void ofConcurrentFirstArrivalsOnFourContainersExactlyOneProceeds() throws Exception {
        String key = "order-" + UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Claim>> claims = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                StoredVerificationRecords container = container();
                claims.add(pool.submit(() -> container.claim(request(key), deadline())));
            }
            int granted = 0;
            for (Future<Claim> claim : claims) {
                Claim c = claim.get();
                if (c instanceof Claim.Granted) {
                    granted++;
                } else {
                    assertEquals(ErrorType.IN_PROGRESS, assertInstanceOf(Claim.Refused.class, c).failure().type());
                }
            }
            assertEquals(1, granted);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theTableHoldsNoNameNumberOrKey() {
        String key = "order-" + UUID.randomUUID();
        StoredVerificationRecords a = container();
        a.settle(assertInstanceOf(Claim.Granted.class, a.claim(request(key), deadline())),
                consistent(), deadline());

        AwsJsonClient.Reply scan = client.call("Scan", Json.bytes(Json.object().put("TableName", TABLE)),
                Duration.ofSeconds(2));

        assertEquals(200, scan.status());
        // Read and written again, so that escaped characters (\\u5f20) stand as themselves.
        String items = Json.parseObject(scan.body()).orElseThrow().toString();
        assertTrue(items.contains("139****5670"), "the masked number is there");
        assertFalse(items.contains(NAME) || items.contains(MOBILE) || items.contains(key) || items.contains(HASH_KEY),
                "no plaintext name, number, key or hash key");
    }
}
