package cloud.phonematch.verify.records;

import static cloud.phonematch.verify.records.ScriptedDynamoDb.CALL_TIMEOUT;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.CLAIM;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.DONE;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.FINGERPRINT;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.KEY;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.NOW;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.OTHER_OWNER;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.OUTCOME;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.OWNER;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.answer;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.assertOnlyRequest;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.conditionFailed;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.deleted;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.dynamo;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.error;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.firstThen;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.noReply;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.ok;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.requests;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.seconds;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.store;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The DynamoDB store's claim ({@code putIfAbsent}) against a scripted DynamoDB: the one conditioned PutItem it sends,
 * the live item a refusal returns, and what a second try that finds an item says of a first try that got no reply.
 */
@QuarkusTest
@ExtendWith(ScriptedDynamoDb.class)
class DynamoDbRecordStoreClaimTest {
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
    void aRefusedClaimReturnsTheLiveItemThatRefusedIt() {
        ObjectNode found = RecordItems.item(DONE);
        answer(conditionFailed(found));

        assertEquals(Optional.of(DONE), store(CALL_TIMEOUT).putIfAbsent(CLAIM, NOW, seconds(5)));
        assertEquals(1, requests(), "the item comes with the refusal: no GetItem");
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
}
