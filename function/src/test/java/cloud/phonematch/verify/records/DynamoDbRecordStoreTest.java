package cloud.phonematch.verify.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.phonematch.verify.aws.AwsJsonClient;
import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.support.LocalDynamoDb;
import cloud.phonematch.verify.verification.TimeSource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The DynamoDB store against a real DynamoDB engine ({@link LocalDynamoDb}: moto_server on 127.0.0.1), held to the
 * contract every store passes, and the item as the engine stores it.
 */
@QuarkusTest
@ExtendWith(LocalDynamoDb.class)
class DynamoDbRecordStoreTest extends RecordStoreContract {
    private static final String TABLE = "records-" + UUID.randomUUID();
    private static AwsJsonClient client;
    private static DynamoDbRecordStore store;

    @BeforeAll
    static void createTable() {
        client = LocalDynamoDb.client(Duration.ofSeconds(2));
        LocalDynamoDb.createTable(TABLE);
        store = storeOn(TABLE);
    }

    private static DynamoDbRecordStore storeOn(String table) {
        return new DynamoDbRecordStore(table, Duration.ofSeconds(2), TimeSource.SYSTEM, () -> client);
    }

    @Override
    protected RecordStore store() {
        return store;
    }

    @Test
    void theEngineHoldsTheItemInTheDocumentedLayout() {
        String key = freshKey();
        StoredRecord claimed = new StoredRecord(key, "a".repeat(64), RecordState.IN_PROGRESS,
                Instant.parse("2026-11-30T08:00:09.250Z"), null, Instant.parse("2026-12-01T08:00:00Z"), 1, OWNER);
        store.putIfAbsent(claimed, NOW, deadline());

        assertEquals(Json.MAPPER.createObjectNode()
                .<ObjectNode>set("pk", s(key))
                .<ObjectNode>set("fp", s("a".repeat(64)))
                .<ObjectNode>set("state", s("IN_PROGRESS"))
                .<ObjectNode>set("locked_until", n(Instant.parse("2026-11-30T08:00:09.250Z").toEpochMilli()))
                .<ObjectNode>set("expires_at", n(Instant.parse("2026-12-01T08:00:00Z").getEpochSecond()))
                .<ObjectNode>set("version", n(1))
                .set("owner", s(OWNER)), stored(key));

        StoredRecord completed = claimed.next(RecordState.COMPLETED, null, "{\"status\":\"CONSISTENT\"}",
                Instant.parse("2026-12-02T08:00:00Z"));
        assertTrue(store.replace(completed, OWNER, deadline()));
        JsonNode item = stored(key);
        assertEquals(s("COMPLETED"), item.get("state"));
        assertEquals(s("{\"status\":\"CONSISTENT\"}"), item.get("outcome"));
        assertEquals(n(2), item.get("version"));
        assertEquals(s(OWNER), item.get("owner"), "the claim's settle keeps its owner");
        assertFalse(item.has("locked_until"), "no lock, no attribute: " + item);
    }

    @Test
    void aRecordExpiringAtThisVerySecondCountsAsAbsent() {
        String key = freshKey();
        store.putIfAbsent(new StoredRecord(key, "old", RecordState.COMPLETED, null, "{}", NOW.plusSeconds(5), 1, OWNER),
                NOW, deadline());

        StoredRecord next = inProgress(key, "new", NOW.plusSeconds(60));
        assertEquals(Optional.empty(), store.putIfAbsent(next, NOW.plusSeconds(5), deadline()));
        assertEquals(Optional.of(next), store.putIfAbsent(inProgress(key, "x", NOW.plusSeconds(60)),
                NOW.plusSeconds(5), deadline()));
    }

    @Test
    void timesAreRoundedUpSoARecordNeverEndsEarly() {
        String key = freshKey();
        StoredRecord record = new StoredRecord(key, "fp", RecordState.IN_PROGRESS, NOW.plusNanos(1_000_001),
                null, NOW.plusMillis(5_200), 1, OWNER);
        store.putIfAbsent(record, NOW, deadline());

        JsonNode item = stored(key);
        assertEquals(n(NOW.toEpochMilli() + 2), item.get("locked_until"));
        assertEquals(n(NOW.getEpochSecond() + 6), item.get("expires_at"));
        StoredRecord asStored = new StoredRecord(key, "fp", RecordState.IN_PROGRESS, NOW.plusMillis(2), null,
                NOW.plusSeconds(6), 1, OWNER);
        assertEquals(Optional.of(asStored), store.putIfAbsent(inProgress(key, "x", NOW.plusSeconds(60)),
                NOW.plusMillis(5_900), deadline()), "still live a moment after 5.2 s: it is stored until 6 s");
        assertEquals(Optional.empty(), store.putIfAbsent(inProgress(key, "x", NOW.plusSeconds(60)),
                NOW.plusSeconds(6), deadline()));
    }

    @Test
    void aMissingTableIsUnavailableInOurWords() {
        DynamoDbRecordStore nowhere = storeOn("no-such-table");

        RecordsUnavailable e = assertThrows(RecordsUnavailable.class,
                () -> nowhere.putIfAbsent(inProgress(freshKey(), "fp", NOW.plusSeconds(60)), NOW, deadline()));
        assertEquals("the records table refused PutItem: 400 ResourceNotFoundException", e.getMessage());
        RecordsUnavailable delete = assertThrows(RecordsUnavailable.class,
                () -> nowhere.delete(freshKey(), 1, OWNER, deadline()));
        assertEquals("the records table refused DeleteItem: 400 ResourceNotFoundException", delete.getMessage());
    }

    /** The item as the engine holds it, read with a consistent GetItem. */
    private static JsonNode stored(String key) {
        ObjectNode request = Json.object().put("TableName", TABLE).put("ConsistentRead", true);
        request.set("Key", RecordItems.key(key));
        AwsJsonClient.Reply reply = client.call("GetItem", Json.bytes(request), Duration.ofSeconds(2));
        assertEquals(200, reply.status(), reply.body());
        return Json.parseObject(reply.body()).orElseThrow().path("Item");
    }

    private static ObjectNode s(String value) {
        return Json.object().put("S", value);
    }

    private static ObjectNode n(long value) {
        return Json.object().put("N", Long.toString(value));
    }
}
