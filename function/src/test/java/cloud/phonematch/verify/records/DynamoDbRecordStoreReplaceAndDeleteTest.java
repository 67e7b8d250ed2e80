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
import static cloud.phonematch.verify.records.ScriptedDynamoDb.body;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.conditionFailed;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.deleted;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.dynamo;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.error;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.firstThen;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.json;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.noReply;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.ok;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.onlyRequest;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.requests;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.seconds;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.store;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.json.Json;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The DynamoDB store's replace and delete, both conditioned on the record's version and owner, against a scripted
 * DynamoDB: the requests sent, a failed condition, and what a second try that finds its condition false says of a
 * first try that got no reply.
 */
@QuarkusTest
@ExtendWith(ScriptedDynamoDb.class)
class DynamoDbRecordStoreReplaceAndDeleteTest {
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
    void aFailedConditionIsFalseForReplaceAndDelete() {
        answer(conditionFailed(null));

        assertFalse(store(CALL_TIMEOUT).replace(DONE, OWNER, seconds(5)));
        assertFalse(store(CALL_TIMEOUT).delete(KEY, 1, OWNER, seconds(5)));
        assertEquals(2, requests());
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
    void afterAnUnansweredTryAReplaceThatFindsItsOwnItemWasApplied() {
        firstThen(noReply(), conditionFailed(RecordItems.item(DONE)));

        assertTrue(store(CALL_TIMEOUT).replace(DONE, OWNER, seconds(5)));
        assertEquals(2, requests());

        dynamo.resetAll();
        answer(conditionFailed(RecordItems.item(DONE)));
        assertFalse(store(CALL_TIMEOUT).replace(DONE, OWNER, seconds(5)),
                "without an earlier try that may have been applied, a failed condition is a loss");
    }
}
