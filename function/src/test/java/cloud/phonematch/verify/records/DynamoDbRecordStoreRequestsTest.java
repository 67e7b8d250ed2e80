package cloud.phonematch.verify.records;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import cloud.phonematch.verify.aws.AwsJsonClient;
import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.support.QuietNotifier;
import cloud.phonematch.verify.support.SignedAsReceived;
import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.TimeSource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * What the DynamoDB store sends and how it copes with what comes back, against a scripted DynamoDB (WireMock speaking
 * DynamoDB's answers and errors): the requests' shape and signature, the deadline, the one retry, the refusals.
 */
@QuarkusTest
class DynamoDbRecordStoreRequestsTest {
    private static final String TABLE = "phonematch-verify-records";
    private static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");
    private static final String KEY = "9f".repeat(32);
    private static final String FINGERPRINT = "c4".repeat(32);
    private static final String OUTCOME = "{\"status\":\"CONSISTENT\",\"mobile\":\"139****5670\"}";
    private static final String OWNER = "5e".repeat(16);
    private static final String OTHER_OWNER = "a7".repeat(16);
    private static final StoredRecord CLAIM = new StoredRecord(KEY, FINGERPRINT, RecordState.IN_PROGRESS,
            NOW.plusMillis(9_500), null, NOW.plusSeconds(86_400), 1, OWNER);
    private static final StoredRecord DONE = CLAIM.next(RecordState.COMPLETED, null, OUTCOME, NOW.plusSeconds(172_800));
    private static final Duration CALL_TIMEOUT = Duration.ofMillis(500);
    private static final AwsBasicCredentials CREDENTIALS = AwsBasicCredentials.create("AKIDRECORDSTEST",
            "records-test-secret");

    private static WireMockServer dynamo;

    @BeforeAll
    static void start() {
        dynamo = new WireMockServer(options().dynamicPort().notifier(new QuietNotifier()));
        dynamo.start();
    }

    @AfterAll
    static void stop() {
        dynamo.stop();
    }

    @BeforeEach
    void reset() {
        dynamo.resetAll();
    }

    // ------------------------------------------------------------------ what is sent

    @Test
    void aClaimIsOnePutItemConditionedOnNoLiveItem() {
        answer(ok());

        assertEquals(Optional.empty(), store(CALL_TIMEOUT).putIfAbsent(CLAIM, NOW, seconds(5)));

        assertOnlyRequest("PutItem", """
                {"TableName": "phonematch-verify-records",
                 "ConditionExpression": "attribute_not_exists(pk) OR (expires_at <= :now AND (attribute_not_exists(locked_until) OR locked_until <= :now_ms))",
                 "ExpressionAttributeValues": {":now": {"N": "%d"}, ":now_ms": {"N": "%d"}},
                 "Item": {"pk": {"S": "%s"}, "fp": {"S": "%s"}, "state": {"S": "IN_PROGRESS"},
                          "locked_until": {"N": "%d"}, "expires_at": {"N": "%d"}, "version": {"N": "1"},
                          "owner": {"S": "%s"}},
                 "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}
                """.formatted(NOW.getEpochSecond(), NOW.toEpochMilli(), KEY, FINGERPRINT,
                NOW.plusMillis(9_500).toEpochMilli(), NOW.plusSeconds(86_400).getEpochSecond(), OWNER));
    }

    @Test
    void aReplaceIsOnePutItemConditionedOnThePreviousVersionAndItsOwner() {
        answer(ok());

        assertTrue(store(CALL_TIMEOUT).replace(DONE, OWNER, seconds(5)));

        assertOnlyRequest("PutItem", """
                {"TableName": "phonematch-verify-records",
                 "ConditionExpression": "version = :previous AND #owner = :owner",
                 "ExpressionAttributeValues": {":previous": {"N": "1"}, ":owner": {"S": "%s"}},
                 "ExpressionAttributeNames": {"#owner": "owner"},
                 "Item": {"pk": {"S": "%s"}, "fp": {"S": "%s"}, "state": {"S": "COMPLETED"},
                          "outcome": {"S": %s}, "expires_at": {"N": "%d"}, "version": {"N": "2"},
                          "owner": {"S": "%s"}},
                 "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}
                """.formatted(OWNER, KEY, FINGERPRINT, Json.MAPPER.valueToTree(OUTCOME),
                NOW.plusSeconds(172_800).getEpochSecond(), OWNER));
    }

    @Test
    void aReplaceOfAKeptAnswerIsConditionedOnItHavingNoOwner() {
        answer(ok());
        StoredRecord kept = new StoredRecord(KEY, KEY, RecordState.COMPLETED, null, OUTCOME, NOW.plusSeconds(60), 2,
                null);

        assertTrue(store(CALL_TIMEOUT).replace(kept, null, seconds(5)));

        JsonNode sent = body(onlyRequest());
        assertEquals("version = :previous AND attribute_not_exists(#owner)", sent.path("ConditionExpression").asText());
        assertEquals(json("{\":previous\": {\"N\": \"1\"}}"), sent.path("ExpressionAttributeValues"));
    }

    @Test
    void aDeleteIsOneDeleteItemConditionedOnTheVersionAndTheOwnerReturningTheItemDeleted() {
        answer(deleted(CLAIM));

        assertTrue(store(CALL_TIMEOUT).delete(KEY, 3, OWNER, seconds(5)));

        assertOnlyRequest("DeleteItem", """
                {"TableName": "phonematch-verify-records",
                 "ConditionExpression": "version = :version AND #owner = :owner",
                 "ExpressionAttributeValues": {":version": {"N": "3"}, ":owner": {"S": "%s"}},
                 "ExpressionAttributeNames": {"#owner": "owner"},
                 "Key": {"pk": {"S": "%s"}},
                 "ReturnValues": "ALL_OLD",
                 "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}
                """.formatted(OWNER, KEY));
    }

    @Test
    void aCounterIsOneUpdateItemReturningTheNewCount() {
        answer(counted(3));

        assertTrue(store(CALL_TIMEOUT).incrementBelow("budget#2026-11-30", 5, NOW.plusSeconds(86_400), seconds(5)));

        assertOnlyRequest("UpdateItem", """
                {"TableName": "phonematch-verify-records",
                 "ConditionExpression": "attribute_not_exists(pk) OR #n < :limit",
                 "ExpressionAttributeValues": {":limit": {"N": "5"}, ":zero": {"N": "0"}, ":one": {"N": "1"},
                                               ":expires": {"N": "%d"}},
                 "Key": {"pk": {"S": "budget#2026-11-30"}},
                 "UpdateExpression": "SET #n = if_not_exists(#n, :zero) + :one, expires_at = :expires",
                 "ExpressionAttributeNames": {"#n": "n"},
                 "ReturnValues": "UPDATED_NEW"}
                """.formatted(NOW.plusSeconds(86_400).getEpochSecond()));
    }

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

    // ------------------------------------------------------------------ what comes back

    @Test
    void aRefusedClaimReturnsTheLiveItemThatRefusedIt() {
        ObjectNode found = RecordItems.item(DONE);
        answer(conditionFailed(found));

        assertEquals(Optional.of(DONE), store(CALL_TIMEOUT).putIfAbsent(CLAIM, NOW, seconds(5)));
        assertEquals(1, requests(), "the item comes with the refusal: no GetItem");
    }

    @Test
    void aFailedConditionIsFalseForReplaceAndDelete() {
        answer(conditionFailed(null));

        assertFalse(store(CALL_TIMEOUT).replace(DONE, OWNER, seconds(5)));
        assertFalse(store(CALL_TIMEOUT).delete(KEY, 1, OWNER, seconds(5)));
        assertEquals(2, requests());
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

    @Test
    void afterAnUnansweredTryAFailedConditionCannotBeTold() {
        // The first try may have been applied; the second then finds what it wrote, or what another writer did.
        firstThen(error(503, "com.amazonaws.dynamodb.v20120810#ServiceUnavailable", "busy"), conditionFailed(null));
        RecordsUnavailable replace = assertThrows(RecordsUnavailable.class,
                () -> store(CALL_TIMEOUT).replace(DONE, OWNER, seconds(5)));
        assertTrue(replace.maybeApplied());

        dynamo.resetAll();
        firstThen(noReply(), conditionFailed(RecordItems.item(DONE.ownedBy(OTHER_OWNER))));
        RecordsUnavailable another = assertThrows(RecordsUnavailable.class,
                () -> store(CALL_TIMEOUT).replace(DONE, OWNER, seconds(5)), "another owner's item cannot tell either");
        assertEquals("could not tell whether PutItem was applied: the first try got no usable reply and the second"
                + " found its condition false", another.getMessage());

        dynamo.resetAll();
        firstThen(error(503, "com.amazonaws.dynamodb.v20120810#ServiceUnavailable", "busy"),
                conditionFailed(RecordItems.item(CLAIM.ownedBy(OTHER_OWNER))));
        assertTrue(assertThrows(RecordsUnavailable.class,
                () -> store(CALL_TIMEOUT).delete(KEY, 1, OWNER, seconds(5))).maybeApplied(),
                "a delete that finds another owner's item cannot tell either");

        dynamo.resetAll();
        firstThen(error(400, "com.amazonaws.dynamodb.v20120810#ThrottlingException", "slow"), conditionFailed(null));
        assertFalse(store(CALL_TIMEOUT).delete(KEY, 1, OWNER, seconds(5)), "a throttled try was not applied");
    }

    @Test
    void afterAnUnansweredTryADeleteThatFindsNoItemWasApplied() {
        // Only a record's owner deletes it: an item gone after our try that may have been applied is our doing.
        firstThen(error(500, "com.amazonaws.dynamodb.v20120810#InternalServerError", "internal"),
                conditionFailed(null));

        assertTrue(store(CALL_TIMEOUT).delete(KEY, 1, OWNER, seconds(5)));
        assertEquals(2, requests());
    }

    @Test
    void aReplyNotInTheExpectedShapeIsAnUnknownOutcomeNeverASuccess() {
        // An empty 200 to a claim: tried again, and the second try finds the claim's own item.
        firstThen(aResponse().withStatus(200).withBody(""), conditionFailed(RecordItems.item(CLAIM)));
        assertEquals(Optional.empty(), store(CALL_TIMEOUT).putIfAbsent(CLAIM, NOW, seconds(5)));
        assertEquals(2, requests());

        dynamo.resetAll();
        answer(aResponse().withStatus(200).withBody("<html><body>OK</body></html>"));
        RecordsUnavailable twice = assertThrows(RecordsUnavailable.class,
                () -> store(CALL_TIMEOUT).putIfAbsent(CLAIM, NOW, seconds(5)));
        assertEquals("PutItem on the records table failed (200 with a reply not in the expected shape) twice",
                twice.getMessage());
        assertTrue(twice.maybeApplied(), "it may have been applied: the caller must not take the key as free");

        dynamo.resetAll();
        firstThen(ok(), deleted(CLAIM));
        assertTrue(store(CALL_TIMEOUT).delete(KEY, 1, OWNER, seconds(5)));
        assertEquals(2, requests(), "a 200 without the item deleted is no proof that it was");
    }

    @Test
    void aCountersWriteIsNeverSentAgainAfterATryThatMayHaveCounted() {
        answer(error(500, "com.amazonaws.dynamodb.v20120810#InternalServerError", "internal"));
        RecordsUnavailable e = assertThrows(RecordsUnavailable.class,
                () -> store(CALL_TIMEOUT).incrementBelow("budget#2026-11-30", 5, NOW.plusSeconds(60), seconds(5)));
        assertTrue(e.maybeApplied());
        assertEquals("UpdateItem on the records table may have been applied (500 InternalServerError); not sent"
                + " again, since a repeat could count twice", e.getMessage());
        assertEquals(1, requests());

        dynamo.resetAll();
        answer(ok());
        assertTrue(assertThrows(RecordsUnavailable.class,
                () -> store(CALL_TIMEOUT).decrement("budget#2026-11-30", seconds(5))).maybeApplied(),
                "a 200 without the new count may or may not have counted");
        assertEquals(1, requests());

        dynamo.resetAll();
        firstThen(error(400, "com.amazonaws.dynamodb.v20120810#ThrottlingException", "slow"), counted(1));
        assertTrue(store(CALL_TIMEOUT).incrementBelow("budget#2026-11-30", 5, NOW.plusSeconds(60), seconds(5)));
        assertEquals(2, requests(), "a throttled try counted nothing: it is sent again");
    }

    @Test
    void afterAnUnansweredTryAClaimThatFindsItsOwnItemWasApplied() {
        // The first try was applied but its reply never came; the second finds the item with the claim's own owner.
        firstThen(noReply(), conditionFailed(RecordItems.item(CLAIM)));

        assertEquals(Optional.empty(), store(CALL_TIMEOUT).putIfAbsent(CLAIM, NOW, seconds(5)), "the key is ours");
        assertEquals(2, requests());

        dynamo.resetAll();
        firstThen(error(500, "com.amazonaws.dynamodb.v20120810#InternalServerError", "internal"),
                conditionFailed(RecordItems.item(CLAIM)));
        assertEquals(Optional.empty(), store(CALL_TIMEOUT).putIfAbsent(CLAIM, NOW, seconds(5)), "after a 5xx too");
    }

    @Test
    void afterAnUnansweredTryAClaimThatFindsAnotherOwnersItemFindsAnotherWritersRecord() {
        // Alike in every field but the owner: another invocation's claim of the same key, at the same instant.
        StoredRecord theirs = CLAIM.ownedBy(OTHER_OWNER);
        firstThen(noReply(), conditionFailed(RecordItems.item(theirs)));
        assertEquals(Optional.of(theirs), store(CALL_TIMEOUT).putIfAbsent(CLAIM, NOW, seconds(5)));

        dynamo.resetAll();
        firstThen(noReply(), conditionFailed(RecordItems.item(DONE)));
        assertEquals(Optional.of(DONE), store(CALL_TIMEOUT).putIfAbsent(CLAIM, NOW, seconds(5)),
                "a later version, even of our owner, is not the write just made");

        dynamo.resetAll();
        StoredRecord older = new StoredRecord(KEY, FINGERPRINT, RecordState.IN_PROGRESS, NOW.plusMillis(9_500), null,
                NOW.plusSeconds(86_400), 1, null);
        firstThen(noReply(), conditionFailed(RecordItems.item(older)));
        assertEquals(Optional.of(older), store(CALL_TIMEOUT).putIfAbsent(CLAIM, NOW, seconds(5)),
                "an item without an owner (written before records had owners) is another writer's");
    }

    @Test
    void afterAnUnansweredTryAKeptAnswerWithoutAnOwnerStillCannotTellAnEqualItem() {
        StoredRecord kept = new StoredRecord(KEY, KEY, RecordState.COMPLETED, null, OUTCOME, NOW.plusSeconds(60), 1,
                null);
        firstThen(noReply(), conditionFailed(RecordItems.item(kept)));

        RecordsUnavailable e = assertThrows(RecordsUnavailable.class,
                () -> store(CALL_TIMEOUT).putIfAbsent(kept, NOW, seconds(5)));
        assertTrue(e.maybeApplied());
        assertEquals("could not tell whether PutItem was applied: the first try got no usable reply and the second"
                + " found an item equal to the one written", e.getMessage());
    }

    @Test
    void afterAnUnansweredTryAReplaceThatFindsItsOwnItemWasApplied() {
        firstThen(noReply(), conditionFailed(RecordItems.item(DONE)));

        assertTrue(store(CALL_TIMEOUT).replace(DONE, OWNER, seconds(5)));
        assertEquals(2, requests());

        dynamo.resetAll();
        answer(conditionFailed(RecordItems.item(DONE)));
        assertFalse(store(CALL_TIMEOUT).replace(DONE, OWNER, seconds(5)),
                "without an earlier try that may have been applied, a failed condition is a loss");
    }

    @Test
    void aWriteThatFailedBeforeAnythingCouldBeAppliedSaysSo() {
        answer(error(400, "com.amazonaws.dynamodb.v20120810#ThrottlingException", "slow"));
        assertFalse(assertThrows(RecordsUnavailable.class,
                () -> store(CALL_TIMEOUT).putIfAbsent(CLAIM, NOW, seconds(5))).maybeApplied(), "throttled twice");

        dynamo.resetAll();
        firstThen(noReply(), error(400, "com.amazonaws.dynamodb.v20120810#ThrottlingException", "slow"));
        assertTrue(assertThrows(RecordsUnavailable.class,
                () -> store(CALL_TIMEOUT).putIfAbsent(CLAIM, NOW, seconds(5))).maybeApplied(),
                "the first try may have been applied, whatever the second met");
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
                DynamoDbRecordStoreRequestsTest::client);
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

    // ------------------------------------------------------------------ helpers

    private static DynamoDbRecordStore store(Duration callTimeout) {
        return new DynamoDbRecordStore(TABLE, callTimeout, TimeSource.SYSTEM, DynamoDbRecordStoreRequestsTest::client);
    }

    private static AwsJsonClient client() {
        return client(URI.create(dynamo.baseUrl()));
    }

    private static AwsJsonClient client(URI endpoint) {
        return AwsJsonClient.of(DynamoDbRecordStore.DYNAMODB, endpoint, Region.CN_NORTH_1,
                StaticCredentialsProvider.create(CREDENTIALS),
                Duration.ofSeconds(2), Clock.systemUTC());
    }

    private static DynamoDbRecordStore storeAt(URI endpoint) {
        return new DynamoDbRecordStore(TABLE, CALL_TIMEOUT, TimeSource.SYSTEM, () -> client(endpoint));
    }

    private static Deadline seconds(int left) {
        return millis(left * 1_000L);
    }

    private static Deadline millis(long left) {
        return Deadline.of(TimeSource.SYSTEM, System.nanoTime(), left + 500, Duration.ofMillis(500),
                Duration.ofSeconds(1));
    }

    private static void answer(ResponseDefinitionBuilder response) {
        dynamo.stubFor(any(anyUrl()).willReturn(response));
    }

    private static void firstThen(ResponseDefinitionBuilder first, ResponseDefinitionBuilder then) {
        dynamo.stubFor(any(anyUrl()).inScenario("first-then").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(first).willSetStateTo("then"));
        dynamo.stubFor(any(anyUrl()).inScenario("first-then").whenScenarioStateIs("then").willReturn(then));
    }

    /** A connection closed with no reply: the request may have been applied. */
    private static ResponseDefinitionBuilder noReply() {
        return aResponse().withFault(Fault.EMPTY_RESPONSE);
    }

    private static ResponseDefinitionBuilder ok() {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.0").withBody("{}");
    }

    /** DeleteItem's answer with {@code ReturnValues: ALL_OLD}: the item deleted. */
    private static ResponseDefinitionBuilder deleted(StoredRecord record) {
        ObjectNode body = Json.object();
        body.set("Attributes", RecordItems.item(record));
        return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.0")
                .withBody(Json.write(body));
    }

    /** UpdateItem's answer with {@code ReturnValues: UPDATED_NEW}: the new count. */
    private static ResponseDefinitionBuilder counted(long n) {
        ObjectNode body = Json.object();
        body.putObject("Attributes").set(RecordItems.COUNT, RecordItems.number(n));
        return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.0")
                .withBody(Json.write(body));
    }

    /** DynamoDB's error shape: the type (with its namespace) and a message in the body. */
    private static ResponseDefinitionBuilder error(int status, String type, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/x-amz-json-1.0")
                .withBody(Json.write(Json.object().put("__type", type).put("message", message)));
    }

    private static ResponseDefinitionBuilder conditionFailed(ObjectNode item) {
        ObjectNode body = Json.object()
                .put("__type", "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException")
                .put("message", "The conditional request failed");
        if (item != null) {
            body.set("Item", item);
        }
        return aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.0")
                .withBody(Json.write(body));
    }

    /** The one request sent: the operation in DynamoDB's JSON 1.0 protocol, with exactly this body. */
    private static void assertOnlyRequest(String operation, String body) {
        LoggedRequest sent = onlyRequest();
        assertEquals("DynamoDB_20120810." + operation, sent.getHeader("X-Amz-Target"));
        assertEquals("application/x-amz-json-1.0", sent.getHeader("Content-Type"));
        assertEquals(json(body), body(sent));
    }

    private static LoggedRequest onlyRequest() {
        List<LoggedRequest> requests = dynamo.findAll(anyRequestedFor(anyUrl()));
        assertEquals(1, requests.size());
        return requests.get(0);
    }

    private static int requests() {
        return dynamo.findAll(anyRequestedFor(anyUrl())).size();
    }

    private static JsonNode body(LoggedRequest request) {
        return json(request.getBodyAsString());
    }

    private static JsonNode json(String text) {
        return Json.parseObject(text).orElseThrow(() -> new AssertionError("not a JSON object: " + text));
    }

    @Test
    void afterARestoreTheWaitsBeforeASecondTryAreDrawnFromANewGenerator() {
        DynamoDbRecordStore store = store(CALL_TIMEOUT);
        SecureRandom before = store.jitter();

        store.renewAfterRestore();

        assertNotSame(before, store.jitter(), "a generator copied from the snapshot is replaced");
    }
}
