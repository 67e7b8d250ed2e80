package cloud.phonematch.verify.records;

import static cloud.phonematch.verify.records.ScriptedDynamoDb.CALL_TIMEOUT;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.CLAIM;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.CREDENTIALS;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.DONE;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.KEY;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.NOW;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.OWNER;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.TABLE;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.answer;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.body;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.client;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.deleted;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.dynamo;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.error;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.firstThen;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.millis;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.ok;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.onlyRequest;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.requests;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.seconds;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.store;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.storeAt;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import cloud.phonematch.verify.aws.AwsJsonClient;
import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.support.QuietNotifier;
import cloud.phonematch.verify.support.SignedAsReceived;
import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.TimeSource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * What every request of the DynamoDB store holds and how it copes with the table's refusals, errors and slowness,
 * against a scripted DynamoDB: only the record's own fields, the signature, the one retry, the deadline. The
 * operations' own requests and replies are in the Claim, ReplaceAndDelete and Counter tests beside it.
 */
@QuarkusTest
@ExtendWith(ScriptedDynamoDb.class)
class DynamoDbRecordStoreRequestsTest {
    /**
     * Every request body of every operation holds the table's name, the store's own expressions and the record's own
     * fields, and nothing else: each string in it is one of those, each attribute name one of the layout's.
     */
    @Test
    void noRequestHoldsAnythingButTheRecordsOwnFields() {
        answer(ok());
        DynamoDbRecordStore store = store(CALL_TIMEOUT);
        store.putIfAbsent(CLAIM, NOW, seconds(5));
        store.replace(DONE, OWNER, seconds(5));
        answer(deleted(DONE));
        store.delete(KEY, 2, OWNER, seconds(5));

        Set<String> allowed = new HashSet<>(Set.of(TABLE, DynamoDbRecordStore.ABSENT_OR_OVER,
                DynamoDbRecordStore.FOLLOWS_OWNED, DynamoDbRecordStore.OWNED_AT_VERSION, "ALL_OLD",
                RecordItems.OWNER, OWNER));
        for (StoredRecord record : List.of(CLAIM, DONE)) {
            allowed.add(record.key());
            allowed.add(record.fingerprint());
            allowed.add(record.state().name());
            if (record.outcome() != null) {
                allowed.add(record.outcome());
            }
            allowed.add(Long.toString(record.expiresAt().getEpochSecond()));
            allowed.add(Long.toString(record.version()));
            if (record.lockedUntil() != null) {
                allowed.add(Long.toString(record.lockedUntil().toEpochMilli()));
            }
        }
        allowed.add(Long.toString(NOW.getEpochSecond()));
        allowed.add(Long.toString(NOW.toEpochMilli()));
        Set<String> names = Set.of("TableName", "ConditionExpression", "ExpressionAttributeValues",
                "ExpressionAttributeNames", "ReturnValuesOnConditionCheckFailure", "ReturnValues", "Item", "Key",
                ":now", ":now_ms", ":previous",
                ":version", ":owner", "#owner", "S", "N", "pk", "fp", "state", "locked_until", "outcome",
                "expires_at", "version", "owner");

        List<LoggedRequest> requests = dynamo.findAll(anyRequestedFor(anyUrl()));
        assertEquals(3, requests.size());
        List<String> strays = new ArrayList<>();
        for (LoggedRequest request : requests) {
            collectStrays(body(request), allowed, names, strays);
        }
        assertEquals(List.of(), strays);
    }

    private static void collectStrays(JsonNode node, Set<String> allowed, Set<String> names, List<String> strays) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!names.contains(field.getKey())) {
                    strays.add("field " + field.getKey());
                }
                collectStrays(field.getValue(), allowed, names, strays);
            }
        } else if (node.isArray()) {
            node.forEach(n -> collectStrays(n, allowed, names, strays));
        } else if (!allowed.contains(node.asText())) {
            strays.add("value " + node.asText());
        }
    }

    /**
     * The request DynamoDB receives carries a valid SigV4 signature for the service {@code dynamodb}: the SDK's
     * signer, run here on the received request (its Host, date, target and body, the test credentials), produces the
     * very Authorization header that was sent.
     */
    @Test
    void theRequestIsSignedAsReceived() {
        answer(ok());
        store(CALL_TIMEOUT).putIfAbsent(CLAIM, NOW, seconds(5));

        LoggedRequest received = onlyRequest();
        String authorization = received.getHeader("Authorization");
        assertTrue(authorization.startsWith("AWS4-HMAC-SHA256 Credential=AKIDRECORDSTEST/"), authorization);
        assertTrue(authorization.contains("/cn-north-1/dynamodb/aws4_request"), authorization);
        assertEquals(SignedAsReceived.authorization(received, CREDENTIALS, "dynamodb", "cn-north-1"), authorization);
    }

    @Test
    void aRefusalIsUnavailableOnceAndInOurWordsOnly() {
        answer(error(400, "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
                "Requested resource not found: Table: " + TABLE + " not found " + KEY));

        RecordsUnavailable e = assertThrows(RecordsUnavailable.class,
                () -> store(CALL_TIMEOUT).putIfAbsent(CLAIM, NOW, seconds(5)));

        assertEquals("the records table refused PutItem: 400 ResourceNotFoundException", e.getMessage());
        assertFalse(e.maybeApplied(), "a 400 is not applied");
        assertEquals(1, requests(), "a refusal is not repeated");
    }

    @Test
    void throttlingThenSuccessIsOneRetry() {
        firstThen(error(400, "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException", "slow down"),
                ok());

        assertEquals(Optional.empty(), store(CALL_TIMEOUT).putIfAbsent(CLAIM, NOW, seconds(5)));

        List<LoggedRequest> sent = dynamo.findAll(anyRequestedFor(anyUrl()));
        assertEquals(2, sent.size());
        assertEquals(body(sent.get(0)), body(sent.get(1)), "the same write, tried again");
    }

    @Test
    void aServerErrorTwiceIsUnavailableAfterTwoTries() {
        answer(error(500, "com.amazonaws.dynamodb.v20120810#InternalServerError", "internal"));

        RecordsUnavailable e = assertThrows(RecordsUnavailable.class,
                () -> store(CALL_TIMEOUT).delete(KEY, 1, OWNER, seconds(5)));

        assertEquals("DeleteItem on the records table failed (500 InternalServerError) twice", e.getMessage());
        assertTrue(e.maybeApplied(), "a 5xx may have been applied");
        assertEquals(2, requests());
    }

    @Test
    void aConnectionRefusedWasCertainlyNotApplied() throws Exception {
        // A port bound but not listening refuses connections; held (without SO_REUSEADDR) for the whole call, no
        // other listener can take it meanwhile.
        try (Socket held = new Socket()) {
            held.setReuseAddress(false);
            held.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            DynamoDbRecordStore refusing = storeAt(URI.create("http://127.0.0.1:" + held.getLocalPort()));

            RecordsUnavailable claim = assertThrows(RecordsUnavailable.class,
                    () -> refusing.putIfAbsent(CLAIM, NOW, seconds(5)));
            RecordsUnavailable delete = assertThrows(RecordsUnavailable.class,
                    () -> refusing.delete(KEY, 1, OWNER, seconds(5)));

            assertTrue(claim.getMessage().startsWith("PutItem on the records table failed (no connection ("),
                    claim.getMessage());
            assertTrue(claim.getMessage().endsWith(")) twice"), claim.getMessage());
            assertFalse(claim.maybeApplied(), "nothing was sent: there is nothing to take back");
            assertFalse(delete.maybeApplied());
        }
    }

    @Test
    void aConnectionRefusedAfterATryThatGotNoReplyLeavesTheFirstTryOpen() throws Exception {
        // One connection accepted, the port closed once the request is in, then that connection closed unanswered
        // (the request arrived, no reply): the second try is refused at connect, which says nothing of the first.
        ServerSocket once = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread server = Thread.ofPlatform().daemon().start(() -> {
            try (Socket connection = once.accept()) {
                connection.getInputStream().read(new byte[8192]);
                once.close();
            } catch (IOException e) {
                // What the client saw is asserted below.
            }
        });
        DynamoDbRecordStore store = storeAt(URI.create("http://127.0.0.1:" + once.getLocalPort()));

        RecordsUnavailable e = assertThrows(RecordsUnavailable.class, () -> store.putIfAbsent(CLAIM, NOW, seconds(5)));
        server.join(5_000);
        once.close();

        assertTrue(e.getMessage().contains("(no connection ("), "the second try was refused: " + e.getMessage());
        assertTrue(e.maybeApplied(), "the first try may have been applied");
    }

    // ------------------------------------------------------------------ the deadline

    @Test
    void aSlowTableIsUnavailableWhenTheDeadlineComesNotLater() {
        answer(ok().withFixedDelay(5_000));
        Deadline deadline = millis(400);

        long start = System.nanoTime();
        RecordsUnavailable e = assertThrows(RecordsUnavailable.class,
                () -> store(CALL_TIMEOUT).putIfAbsent(CLAIM, NOW, deadline));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertTrue(took.compareTo(Duration.ofMillis(300)) >= 0 && took.compareTo(Duration.ofMillis(1_500)) < 0,
                "about the 400 ms left, not the table's 5 s: " + took);
        assertEquals("PutItem on the records table failed (no reply (TimeoutException)) with no time left for"
                + " another try", e.getMessage());
        assertEquals(1, requests());
    }

    @Test
    void eachTryIsCutAtTheCallTimeout() {
        answer(ok().withFixedDelay(5_000));

        long start = System.nanoTime();
        assertThrows(RecordsUnavailable.class,
                () -> store(Duration.ofMillis(200)).replace(DONE, OWNER, seconds(5)));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertEquals(2, requests(), "one retry fits in the 5 s left");
        assertTrue(took.compareTo(Duration.ofMillis(400)) >= 0 && took.compareTo(Duration.ofMillis(2_000)) < 0,
                "two tries of 200 ms, not the table's 5 s: " + took);
    }

    @Test
    void aCallThatCannotHaveItsMinimumIsNotStarted() {
        answer(ok());

        RecordsUnavailable e = assertThrows(RecordsUnavailable.class,
                () -> store(CALL_TIMEOUT).putIfAbsent(CLAIM, NOW, millis(60)));

        assertEquals("no time left for PutItem on the records table", e.getMessage());
        assertEquals(0, requests());
    }

    /**
     * On a clock that only moves when the store waits: the retry's wait stays within its bound (whether a wait fits
     * before the deadline is {@code Retries}'s, tested there with a fixed random source).
     */
    @Test
    void theRetryWaitsAtMostItsBound() {
        ManualTime time = new ManualTime();
        DynamoDbRecordStore store = new DynamoDbRecordStore(TABLE, CALL_TIMEOUT, time,
                ScriptedDynamoDb::client);
        firstThen(error(400, "com.amazonaws.dynamodb.v20120810#ThrottlingException", "slow"), ok());

        assertEquals(Optional.empty(), store.putIfAbsent(CLAIM, NOW, time.deadline(1_000)));
        assertEquals(1, time.waits.size());
        assertTrue(time.waits.get(0).compareTo(DynamoDbRecordStore.MAX_RETRY_WAIT) <= 0, time.waits.toString());
        assertEquals(2, requests());
    }

    private static final class ManualTime implements TimeSource {
        final List<Duration> waits = new ArrayList<>();
        private long nanos;

        Deadline deadline(long leftMillis) {
            return Deadline.of(this, nanos, leftMillis + 500, Duration.ofMillis(500), Duration.ofSeconds(1));
        }

        @Override
        public long nanoTime() {
            return nanos;
        }

        @Override
        public void sleep(Duration duration) {
            waits.add(duration);
            nanos += duration.toNanos();
        }
    }

    @Test
    void afterARestoreTheWaitsBeforeASecondTryAreDrawnFromANewGenerator() {
        DynamoDbRecordStore store = store(CALL_TIMEOUT);
        SecureRandom before = store.jitter();

        store.renewAfterRestore();

        assertNotSame(before, store.jitter(), "a generator copied from the snapshot is replaced");
    }
}
