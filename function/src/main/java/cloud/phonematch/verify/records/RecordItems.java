package cloud.phonematch.verify.records;

import java.time.Instant;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.phonematch.verify.json.Json;

/**
 * A {@link StoredRecord} as a DynamoDB item in the JSON protocol's attribute-value form ({@code {"S": "..."}},
 * {@code {"N": "..."}}); the layout is described on {@link DynamoDbRecordStore}.
 */
final class RecordItems {
    /** The partition key. */
    static final String KEY = "pk";
    /** The TTL attribute. */
    static final String EXPIRES_AT = "expires_at";
    /** The claim that wrote the item ({@link StoredRecord#owner()}); absent on kept answers. */
    static final String OWNER = "owner";
    /** A counter item's count (its other attributes: {@link #KEY} and {@link #EXPIRES_AT}). */
    static final String COUNT = "n";

    private RecordItems() {
    }

    /** The item of a record: times rounded up to the unit stored (milliseconds, seconds), absent values left out. */
    static ObjectNode item(StoredRecord record) {
        ObjectNode item = Json.object();
        item.set(KEY, string(record.key()));
        item.set("fp", string(record.fingerprint()));
        item.set("state", string(record.state().name()));
        if (record.lockedUntil() != null) {
            item.set("locked_until", number(epochMillisRoundedUp(record.lockedUntil())));
        }
        if (record.outcome() != null) {
            item.set("outcome", string(record.outcome()));
        }
        item.set(EXPIRES_AT, number(epochSecondsRoundedUp(record.expiresAt())));
        item.set("version", number(record.version()));
        if (record.owner() != null) {
            item.set(OWNER, string(record.owner()));
        }
        return item;
    }

    /** The key of the record with this key: {@code {"pk": {"S": key}}}. */
    static ObjectNode key(String key) {
        ObjectNode item = Json.object();
        item.set(KEY, string(key));
        return item;
    }

    /**
     * The record an item holds; attributes other than the layout's are ignored.
     *
     * @throws RecordsUnavailable when the item is not in the layout (our words; never the item's content)
     */
    static StoredRecord record(JsonNode item) {
        try {
            return new StoredRecord(required(item, KEY, "S"), required(item, "fp", "S"),
                    RecordState.valueOf(required(item, "state", "S")),
                    optional(item, "locked_until", "N").map(ms -> Instant.ofEpochMilli(Long.parseLong(ms)))
                            .orElse(null),
                    optional(item, "outcome", "S").orElse(null),
                    Instant.ofEpochSecond(Long.parseLong(required(item, EXPIRES_AT, "N"))),
                    Long.parseLong(required(item, "version", "N")), optional(item, OWNER, "S").orElse(null));
        } catch (RuntimeException e) {
            throw new RecordsUnavailable("an item of the records table is not in the records' layout");
        }
    }

    static ObjectNode string(String value) {
        return Json.object().put("S", value);
    }

    static ObjectNode number(long value) {
        return Json.object().put("N", Long.toString(value));
    }

    static long epochSecondsRoundedUp(Instant t) {
        return t.getNano() == 0 ? t.getEpochSecond() : Math.addExact(t.getEpochSecond(), 1);
    }

    static long epochMillisRoundedUp(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000L), (t.getNano() + 999_999) / 1_000_000);
    }

    private static String required(JsonNode item, String name, String type) {
        return optional(item, name, type).orElseThrow(() -> new IllegalArgumentException("missing"));
    }

    /** The value of an attribute of this type; empty when absent; an error when present with another type. */
    private static Optional<String> optional(JsonNode item, String name, String type) {
        JsonNode attribute = item.get(name);
        if (attribute == null) {
            return Optional.empty();
        }
        JsonNode value = attribute.get(type);
        if (attribute.size() != 1 || value == null || !value.isTextual()) {
            throw new IllegalArgumentException("wrong type");
        }
        return Optional.of(value.asText());
    }
}
