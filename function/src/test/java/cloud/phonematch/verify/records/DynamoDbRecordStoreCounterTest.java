package cloud.phonematch.verify.records;

import static cloud.phonematch.verify.records.ScriptedDynamoDb.CALL_TIMEOUT;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.NOW;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.answer;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.assertOnlyRequest;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.counted;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.dynamo;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.error;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.firstThen;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.ok;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.requests;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.seconds;
import static cloud.phonematch.verify.records.ScriptedDynamoDb.store;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The DynamoDB store's counters against a scripted DynamoDB: one UpdateItem returning the new count, never sent again
 * after a try that may have counted.
 */
@QuarkusTest
@ExtendWith(ScriptedDynamoDb.class)
class DynamoDbRecordStoreCounterTest {
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
}
