package cloud.phonematch.verify.records;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.phonematch.verify.aws.AwsErrorCode;
import cloud.phonematch.verify.aws.AwsJsonClient;
import cloud.phonematch.verify.aws.AwsJsonService;
import cloud.phonematch.verify.output.Json;
import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.TimeSource;
import cloud.phonematch.verify.verification.RenewableRandom;
import cloud.phonematch.verify.verification.UniquePerContainer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.endpoints.DynamoDbEndpointParams;
import software.amazon.awssdk.services.dynamodb.endpoints.DynamoDbEndpointProvider;

/**
 * The records in a DynamoDB table: one item per record, every change one conditional single-item write, sent as a
 * signed AWS JSON 1.0 request through the function's REST client ({@link AwsJsonClient}).
 *
 * <h2>The item</h2>
 * <table>
 * <caption>attributes</caption>
 * <tr><th>attribute</th><th>type</th><th>holds</th></tr>
 * <tr><td>{@code pk}</td><td>S</td><td>the record's key (an HMAC, hex): the table's partition key, its only
 * key</td></tr>
 * <tr><td>{@code fp}</td><td>S</td><td>the fingerprint (an HMAC, hex)</td></tr>
 * <tr><td>{@code state}</td><td>S</td><td>{@code IN_PROGRESS}, {@code COMPLETED} or {@code OUTCOME_UNKNOWN}</td></tr>
 * <tr><td>{@code locked_until}</td><td>N</td><td>epoch milliseconds; only while the record has a lock</td></tr>
 * <tr><td>{@code outcome}</td><td>S</td><td>the stored outcome (number masked); only when the record has one</td></tr>
 * <tr><td>{@code expires_at}</td><td>N</td><td>epoch <b>seconds</b>: the table's TTL attribute</td></tr>
 * <tr><td>{@code version}</td><td>N</td><td>the record's version</td></tr>
 * <tr><td>{@code owner}</td><td>S</td><td>the random id of the claim that wrote it (hex, 128 bits): how a write
 * whose reply was lost is told from another invocation's; absent on kept answers and on items written before records
 * had owners</td></tr>
 * </table>
 * Times are rounded up to the unit stored, so a stored time is never earlier than the record's: a lock or a record
 * may last up to one unit longer, never shorter. A record read back carries the stored (rounded) times.
 *
 * <h2>The writes</h2>
 * <ul>
 * <li>{@link #putIfAbsent}: PutItem conditioned on {@code attribute_not_exists(pk) OR expires_at <= :now}
 * ({@code :now} in epoch seconds: a record whose {@code expiresAt} is not after now counts as absent, as in
 * {@link InMemoryRecordStore}, whether or not the TTL has deleted it yet), with
 * {@code ReturnValuesOnConditionCheckFailure: ALL_OLD}: a refused write returns the live item that refused it, as it
 * was when the condition was checked — the one consistent read this store needs, at no read capacity — so there is
 * never a GetItem.</li>
 * <li>{@link #replace}: PutItem conditioned on {@code version = :previous}, with
 * {@code ReturnValuesOnConditionCheckFailure: ALL_OLD}; a missing item fails it too.</li>
 * <li>{@link #delete}: DeleteItem conditioned on {@code version = :version AND #owner = :owner}.</li>
 * </ul>
 *
 * <h2>Time and failures</h2>
 * Every call is bounded by the invocation: it waits at most {@code VERIFY_RECORDS_TIMEOUT} and never past the
 * {@link Deadline}, and is not started with less than {@link #MIN_CALL} left. A throttled call, a 5xx or a call that
 * got no reply (no connection, a broken one, no answer in time) is tried once more after a random wait of up to
 * {@link #MAX_RETRY_WAIT}, when the time left allows that wait and {@link #MIN_CALL} after it. Every other failure,
 * and a second one, is {@link RecordsUnavailable} with our words only: the operation, the HTTP status and the error
 * code, never the service's message.
 * <p>
 * A 5xx or a missing reply after a connection was made leaves open whether the first try was applied (a connection
 * refused or never made leaves nothing open: nothing was sent). If the second try then finds its condition
 * false, that may be the first try's own doing. The item that failed it tells when it carries the owner written:
 * {@code putIfAbsent} and {@code replace} that find the very item they were writing (same owner, same version) were
 * applied; any other item {@code putIfAbsent} finds is another writer's, whatever the first try did. Otherwise
 * ({@code replace} that finds another item or none, {@code delete}, a kept answer's {@code putIfAbsent} that finds an
 * item equal to its own: kept answers have no owner) it cannot tell and throws {@link RecordsUnavailable} (the
 * contract's "could not tell in time"), rather than report a loss that may have been a win. Every
 * {@link RecordsUnavailable} thrown after such a try says the write {@linkplain RecordsUnavailable#maybeApplied() may
 * have been applied}.
 * <p>
 * Not a bean: which store the function uses is decided where the records are wired in. Region, endpoint and
 * credentials come from the environment on the first call ({@link AwsJsonClient#fromEnvironment}); the endpoint
 * settings are the SDK's {@code aws.endpointUrlDynamoDb} / {@code AWS_ENDPOINT_URL_DYNAMODB}.
 */
public final class DynamoDbRecordStore implements RecordStore, UniquePerContainer {
    private static final Logger LOG = Logger.getLogger(DynamoDbRecordStore.class);

    /** DynamoDB: AWS JSON 1.0, signing name {@code dynamodb}, the SDK's DynamoDB endpoint rules. */
    public static final AwsJsonService DYNAMODB = new AwsJsonService("dynamodb", "DynamoDB_20120810",
            AwsJsonService.JSON_1_0, "aws.endpointUrlDynamoDb", "AWS_ENDPOINT_URL_DYNAMODB",
            (region, fips) -> DynamoDbEndpointProvider.defaultProvider()
                    .resolveEndpoint(DynamoDbEndpointParams.builder().region(region).useFips(fips).build())
                    .join().url());
    /** The table's partition key, its only key attribute (template.yaml creates the table with it). */
    public static final String KEY_ATTRIBUTE = RecordItems.KEY;
    /** The attribute the table's TTL reads (template.yaml turns the TTL on for it). */
    public static final String TTL_ATTRIBUTE = RecordItems.EXPIRES_AT;
    /** Every operation this store sends: what the function's role needs on the table, and nothing more. */
    public static final Set<String> OPERATIONS = Set.of("PutItem", "DeleteItem", "UpdateItem", "GetItem");

    /** The shortest call worth starting: a single-item write in the same region answers in a few milliseconds. */
    static final Duration MIN_CALL = Duration.ofMillis(100);
    /** The longest wait before the second try (a uniformly random wait up to this). */
    static final Duration MAX_RETRY_WAIT = Duration.ofMillis(50);
    static final int MAX_TRIES = 2;

    static final String ABSENT_OR_EXPIRED = "attribute_not_exists(pk) OR expires_at <= :now";
    static final String FOLLOWS_PREVIOUS = "version = :previous";
    /** The version and the owner: only the claim that wrote a record deletes it. */
    static final String OWNED_AT_VERSION = "version = :version AND #owner = :owner";
    /** A counter may count one more when it is new or below the limit ({@code #n} is its count). */
    static final String BELOW_LIMIT = "attribute_not_exists(pk) OR #n < :limit";
    static final String ABOVE_ZERO = "#n > :zero";
    private static final String CONDITION_FAILED = "ConditionalCheckFailedException";

    private final String table;
    private final Duration callTimeout;
    private final TimeSource time;
    private final Supplier<AwsJsonClient> connect;
    private AwsJsonClient client;
    /** Draws the wait before a second try, anew after a SnapStart restore (restored containers retry out of step). */
    private final RenewableRandom jitter = new RenewableRandom();

    /**
     * @param table the table's name ({@code VERIFY_RECORDS_TABLE})
     * @param callTimeout the longest one call may take ({@code VERIFY_RECORDS_TIMEOUT})
     */
    public DynamoDbRecordStore(String table, Duration callTimeout) {
        this(table, callTimeout, TimeSource.SYSTEM,
                () -> AwsJsonClient.fromEnvironment(DYNAMODB, callTimeout, Clock.systemUTC()));
    }

    /**
     * The store sending every call through {@code client} (the priming's, against a loopback server) instead of a
     * client set up from the environment on first use.
     */
    public static DynamoDbRecordStore through(AwsJsonClient client, String table, Duration callTimeout) {
        return new DynamoDbRecordStore(table, callTimeout, TimeSource.SYSTEM, () -> client);
    }

    DynamoDbRecordStore(String table, Duration callTimeout, TimeSource time, Supplier<AwsJsonClient> connect) {
        if (table == null || table.isBlank()) {
            throw new IllegalArgumentException("the records table needs a name");
        }
        this.table = table;
        this.callTimeout = callTimeout;
        this.time = time;
        this.connect = connect;
    }

    @Override
    public Optional<StoredRecord> putIfAbsent(StoredRecord record, Instant now, Deadline deadline) {
        ObjectNode item = RecordItems.item(record);
        ObjectNode request = request(ABSENT_OR_EXPIRED, ":now", RecordItems.number(now.getEpochSecond()));
        request.set("Item", item);
        request.put("ReturnValuesOnConditionCheckFailure", "ALL_OLD");
        Written written = write("PutItem", request, deadline);
        if (written.applied()) {
            return Optional.empty();
        }
        JsonNode found = written.found()
                .orElseThrow(() -> new RecordsUnavailable("the records table refused PutItem without the item it"
                        + " found", written.uncertain()));
        StoredRecord existing = RecordItems.record(found);
        if (written.uncertain() && existing.sameWriteAs(record)) {
            // Our owner id on it: the first try was applied and the key is ours.
            return Optional.empty();
        }
        if (written.uncertain() && record.owner() == null && found.equals(item)) {
            throw new RecordsUnavailable("could not tell whether PutItem was applied: the first try got no usable reply"
                    + " and the second found an item equal to the one written", true);
        }
        return Optional.of(existing);
    }

    /** GetItem with a consistent read (a charged answer written a moment ago must be seen). */
    @Override
    public Optional<StoredRecord> get(String key, Instant now, Deadline deadline) {
        ObjectNode request = Json.object();
        request.put("TableName", table);
        request.set("Key", RecordItems.key(key));
        request.put("ConsistentRead", true);
        JsonNode reply = read("GetItem", request, deadline);
        return Optional.ofNullable(reply.get("Item")).filter(JsonNode::isObject).map(RecordItems::record)
                .filter(r -> r.expiresAt().isAfter(now));
    }

    @Override
    public boolean replace(StoredRecord next, Deadline deadline) {
        ObjectNode request = request(FOLLOWS_PREVIOUS, ":previous", RecordItems.number(next.version() - 1));
        request.set("Item", RecordItems.item(next));
        request.put("ReturnValuesOnConditionCheckFailure", "ALL_OLD");
        Written written = write("PutItem", request, deadline);
        if (!written.applied() && written.uncertain()
                && written.found().map(RecordItems::record).filter(f -> f.sameWriteAs(next)).isPresent()) {
            // The item that failed the condition is the one written: the first try was applied.
            return true;
        }
        return conditionHeld(written, "PutItem");
    }

    @Override
    public boolean delete(String key, long version, String owner, Deadline deadline) {
        Objects.requireNonNull(owner, "owner");
        ObjectNode request = request(OWNED_AT_VERSION, ":version", RecordItems.number(version));
        ((ObjectNode) request.get("ExpressionAttributeValues")).set(":owner", RecordItems.string(owner));
        request.putObject("ExpressionAttributeNames").put("#owner", RecordItems.OWNER);
        request.set("Key", RecordItems.key(key));
        return conditionHeld(write("DeleteItem", request, deadline), "DeleteItem");
    }

    /**
     * UpdateItem {@code SET n = n + 1, expires_at = :expires} on the counter's item, if it is absent or below the
     * limit. A try that got no usable reply may have counted already; the second then counts again: the
     * guard errs toward refusing, never toward paying more.
     */
    @Override
    public boolean incrementBelow(String key, long limit, Instant expiresAt, Deadline deadline) {
        ObjectNode request = request(BELOW_LIMIT, ":limit", RecordItems.number(limit));
        request.set("Key", RecordItems.key(key));
        request.put("UpdateExpression", "SET #n = if_not_exists(#n, :zero) + :one, expires_at = :expires");
        request.putObject("ExpressionAttributeNames").put("#n", RecordItems.COUNT);
        ObjectNode values = (ObjectNode) request.get("ExpressionAttributeValues");
        values.set(":zero", RecordItems.number(0));
        values.set(":one", RecordItems.number(1));
        values.set(":expires", RecordItems.number(RecordItems.epochSecondsRoundedUp(expiresAt)));
        Written written = write("UpdateItem", request, deadline);
        return written.applied();
    }

    /** UpdateItem {@code ADD n :minus_one} if the counter is above zero; a counter already at zero is left alone. */
    @Override
    public void decrement(String key, Deadline deadline) {
        ObjectNode request = request(ABOVE_ZERO, ":zero", RecordItems.number(0));
        request.set("Key", RecordItems.key(key));
        request.put("UpdateExpression", "ADD #n :minus_one");
        request.putObject("ExpressionAttributeNames").put("#n", RecordItems.COUNT);
        ((ObjectNode) request.get("ExpressionAttributeValues")).set(":minus_one", RecordItems.number(-1));
        write("UpdateItem", request, deadline);
    }

    /** The request's table, condition and the condition's one value; the caller adds the item or key. */
    private ObjectNode request(String condition, String placeholder, ObjectNode value) {
        ObjectNode request = Json.object();
        request.put("TableName", table);
        request.put("ConditionExpression", condition);
        request.putObject("ExpressionAttributeValues").set(placeholder, value);
        return request;
    }

    private static boolean conditionHeld(Written written, String operation) {
        if (!written.applied() && written.uncertain()) {
            throw new RecordsUnavailable("could not tell whether " + operation + " was applied: the first try got no"
                    + " usable reply and the second found its condition false", true);
        }
        return written.applied();
    }

    /**
     * What a conditional write came to.
     *
     * @param applied the condition held and the write was made
     * @param uncertain an earlier try may have been applied (it got a 5xx, or no reply after it was sent)
     * @param found when the condition failed: the item that failed it, if the request asked for it
     * @param reply when applied: the service's answer (what a read asked for)
     */
    private record Written(boolean applied, boolean uncertain, Optional<JsonNode> found, String reply) {
    }

    /** Sends a read within the deadline, tried as a write is; its answer as JSON. */
    private JsonNode read(String operation, ObjectNode request, Deadline deadline) {
        return Json.parseObject(write(operation, request, deadline).reply())
                .orElseThrow(() -> new RecordsUnavailable("the records table answered " + operation
                        + " with a body that is not a JSON object"));
    }

    /** Sends one conditional write within the deadline, trying once more when the table was busy (see above). */
    private Written write(String operation, ObjectNode request, Deadline deadline) {
        byte[] body = Json.bytes(request);
        boolean uncertain = false;
        for (int attempt = 1;; attempt++) {
            Duration left = deadline.remaining();
            if (left.compareTo(MIN_CALL) < 0) {
                throw new RecordsUnavailable("no time left for " + operation + " on the records table", uncertain);
            }
            AwsJsonClient.Reply reply = null;
            String busy;
            try {
                reply = client().call(operation, body, deadline.remainingAtMost(callTimeout));
                busy = null;
            } catch (AwsJsonClient.NoReply e) {
                // Refused at connect, the write was certainly not made: no need to take back what was never there.
                uncertain |= e.mayHaveArrived();
                busy = (e.mayHaveArrived() ? "no reply (" : "no connection (") + e.getMessage() + ")";
            } catch (SdkException e) {
                // Nothing was sent by this try.
                throw new RecordsUnavailable("the region or credentials for the records table could not be had",
                        uncertain);
            } catch (RuntimeException e) {
                throw new RecordsUnavailable("the records table could not be called (" + e.getClass().getSimpleName()
                        + ")", uncertain);
            }
            if (reply != null) {
                if (reply.status() == 200) {
                    return new Written(true, uncertain, Optional.empty(), reply.body());
                }
                Optional<JsonNode> error = Json.parseObject(reply.body());
                String code = AwsErrorCode.of(reply.errorType(), error.orElse(null));
                if (reply.status() == 400 && CONDITION_FAILED.equals(code)) {
                    return new Written(false, uncertain, error.map(e -> e.get("Item")).filter(JsonNode::isObject),
                            null);
                }
                busy = reply.status() + " " + code;
                if (!AwsErrorCode.busy(reply.status(), code)) {
                    throw new RecordsUnavailable("the records table refused " + operation + ": " + busy, uncertain);
                }
                uncertain |= reply.status() >= 500;
            }
            if (attempt == MAX_TRIES || deadline.remaining().compareTo(MIN_CALL.plus(MAX_RETRY_WAIT)) < 0) {
                throw new RecordsUnavailable(operation + " on the records table failed (" + busy + ")"
                        + (attempt == MAX_TRIES ? " twice" : " with no time left for another try"), uncertain);
            }
            LOG.debugf("%s on the records table failed (%s); trying once more", operation, busy);
            sleep(Duration.ofMillis(jitter.current().nextLong(MAX_RETRY_WAIT.toMillis() + 1)), operation, uncertain);
        }
    }

    @Override
    public void renewAfterRestore() {
        jitter.renewAfterRestore();
    }

    /** The generator the waits before a second try are drawn from now. */
    SecureRandom jitter() {
        return jitter.current();
    }

    private void sleep(Duration wait, String operation, boolean uncertain) {
        try {
            time.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecordsUnavailable("interrupted before trying " + operation + " again", uncertain);
        }
    }

    private synchronized AwsJsonClient client() {
        if (client == null) {
            client = connect.get();
        }
        return client;
    }
}
