package cloud.phonematch.verify.records;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.phonematch.verify.aws.AwsErrorCode;
import cloud.phonematch.verify.aws.AwsJsonClient;
import cloud.phonematch.verify.priming.FunctionClient;
import cloud.phonematch.verify.aws.AwsJsonService;
import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.verification.ChargeRule;
import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.RenewableRandom;
import cloud.phonematch.verify.verification.Retries;
import cloud.phonematch.verify.verification.TimeSource;
import cloud.phonematch.verify.verification.RenewableAfterRestore;
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
 * whose reply was lost is told from another invocation's; absent on kept answers, and an item without one is taken
 * as nobody's claim</td></tr>
 * </table>
 * Times are rounded up to the unit stored, so a stored time is never earlier than the record's: a lock or a record
 * may last up to one unit longer, never shorter. A record read back carries the stored (rounded) times.
 *
 * <h2>The writes</h2>
 * <ul>
 * <li>{@link #putIfAbsent}: PutItem conditioned on {@link #ABSENT_OR_OVER}: there is no item, or it expired and holds
 * no lock that is still running ({@code :now} in epoch seconds, {@code :now_ms} in epoch milliseconds, both by this
 * container's clock: a record that is not {@linkplain StoredRecord#liveAt live} counts as absent, as in
 * {@link InMemoryRecordStore}, whether or not the TTL has deleted it yet), with
 * {@code ReturnValuesOnConditionCheckFailure: ALL_OLD}: a refused write returns the live item that refused it, as it
 * was when the condition was checked — the one consistent read this store needs, at no read capacity — so there is
 * never a GetItem.</li>
 * <li>{@link #replace}: PutItem conditioned on the version it follows and the owner of that version, with
 * {@code ReturnValuesOnConditionCheckFailure: ALL_OLD}; a missing item fails it too.</li>
 * <li>{@link #delete}: DeleteItem conditioned on {@code version = :version AND #owner = :owner}, returning the item
 * deleted ({@code ReturnValues: ALL_OLD}) as the proof that it was.</li>
 * <li>{@link #incrementBelow} and {@link #decrement}: UpdateItem on a counter, returning the new count
 * ({@code ReturnValues: UPDATED_NEW}) as the proof that it was counted.</li>
 * </ul>
 *
 * <h2>Time and failures</h2>
 * Every call goes through {@link Retries}: it waits at most {@code VERIFY_RECORDS_TIMEOUT} and never past the
 * {@link Deadline}, is not started with less than {@link #MIN_CALL} left, and is tried once more after a random wait
 * of up to {@link #MAX_RETRY_WAIT} when it was throttled, failed with a 5xx, got no reply (no connection, a broken
 * one, no answer in time) or got a 200 whose body is not the expected shape — when the {@link ChargeRule} allows it:
 * a write that may have been applied is sent again only when it recognizes itself (a record's write, by its owner id),
 * never a counter's. Every other failure, and a second one, is {@link RecordsUnavailable} with our words only: the
 * operation, the HTTP status and the error code, never the service's message.
 * <p>
 * A 200 is a success only in the shape asked for: a JSON object, with the deleted item or the new count where the
 * request asked for it. Anything else — an empty body, a page that is not JSON — leaves open whether the write was
 * applied, as a 5xx or a lost reply does (a connection refused or never made leaves nothing open: nothing was sent).
 * If the second try then finds its condition false, that may be the first try's own doing. The item that failed it
 * tells when it carries the owner written: {@code putIfAbsent} and {@code replace} that find the very item they were
 * writing (same owner, same version) were applied, and a {@code delete} that finds no item at all was; any other item
 * {@code putIfAbsent} finds is another writer's, whatever the first try did. Otherwise ({@code replace} that finds
 * another item or none, a kept answer's {@code putIfAbsent} that finds an item equal to its own: kept answers have no
 * owner) it cannot tell and throws {@link RecordsUnavailable} (the contract's "could not tell in time"), rather than
 * report a loss that may have been a win. Every {@link RecordsUnavailable} thrown after such a try says the write
 * {@linkplain RecordsUnavailable#maybeApplied() may have been applied}.
 * <p>
 * Not a bean: which store the function uses is decided where the records are wired in. Region, endpoint and
 * credentials come from the environment on the first call ({@link AwsJsonClient#fromEnvironment}); the endpoint
 * settings are the SDK's {@code aws.endpointUrlDynamoDb} / {@code AWS_ENDPOINT_URL_DYNAMODB}.
 */
public final class DynamoDbRecordStore implements RecordStore, RenewableAfterRestore, FunctionClient {
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

    /** No item, or one that expired and holds no running lock ({@link StoredRecord#liveAt}). */
    static final String ABSENT_OR_OVER = "attribute_not_exists(pk) OR (expires_at <= :now"
            + " AND (attribute_not_exists(locked_until) OR locked_until <= :now_ms))";
    /** The version a replace follows, written by the owner the replacing writer holds it from. */
    static final String FOLLOWS_OWNED = "version = :previous AND #owner = :owner";
    /** The version a replace follows, of a record that has no owner (a kept answer). */
    static final String FOLLOWS_UNOWNED = "version = :previous AND attribute_not_exists(#owner)";
    /** The version and the owner: only the claim that wrote a record deletes it. */
    static final String OWNED_AT_VERSION = "version = :version AND #owner = :owner";
    /** A counter may count one more when it is new or below the limit ({@code #n} is its count). */
    static final String BELOW_LIMIT = "attribute_not_exists(pk) OR #n < :limit";
    static final String ABOVE_ZERO = "#n > :zero";
    private static final String CONDITION_FAILED = "ConditionalCheckFailedException";

    private final String table;
    private final Supplier<AwsJsonClient> connect;
    private final Retries retries;
    private final Retries.Schedule schedule;
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
    static DynamoDbRecordStore through(AwsJsonClient client, String table, Duration callTimeout) {
        return new DynamoDbRecordStore(table, callTimeout, TimeSource.SYSTEM, () -> client);
    }

    DynamoDbRecordStore(String table, Duration callTimeout, TimeSource time, Supplier<AwsJsonClient> connect) {
        if (table == null || table.isBlank()) {
            throw new IllegalArgumentException("the records table needs a name");
        }
        this.table = table;
        this.connect = connect;
        // Whether a write may be sent again does not depend on the operator's choice about the paid call.
        this.retries = new Retries(ChargeRule.standard(), time, () -> jitter.current().nextDouble());
        this.schedule = new Retries.Schedule(MAX_TRIES, MAX_RETRY_WAIT, MAX_RETRY_WAIT, callTimeout, MIN_CALL);
    }

    @Override
    public Optional<StoredRecord> putIfAbsent(StoredRecord record, Instant now, Deadline deadline) {
        ObjectNode item = RecordItems.item(record);
        ObjectNode request = request(ABSENT_OR_OVER, ":now", RecordItems.number(now.getEpochSecond()));
        values(request).set(":now_ms", RecordItems.number(now.toEpochMilli()));
        request.set("Item", item);
        request.put("ReturnValuesOnConditionCheckFailure", "ALL_OLD");
        Written written = write("PutItem", request, ChargeRule.Call.IDEMPOTENT_WRITE, reply -> true, deadline);
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
        Written read = write("GetItem", request, ChargeRule.Call.READ,
                reply -> !reply.has("Item") || reply.get("Item").isObject(), deadline);
        return Optional.ofNullable(read.reply().get("Item")).map(RecordItems::record).filter(r -> r.liveAt(now));
    }

    @Override
    public boolean replace(StoredRecord next, String previousOwner, Deadline deadline) {
        ObjectNode request = request(previousOwner == null ? FOLLOWS_UNOWNED : FOLLOWS_OWNED, ":previous",
                RecordItems.number(next.version() - 1));
        if (previousOwner != null) {
            values(request).set(":owner", RecordItems.string(previousOwner));
        }
        request.putObject("ExpressionAttributeNames").put("#owner", RecordItems.OWNER);
        request.set("Item", RecordItems.item(next));
        request.put("ReturnValuesOnConditionCheckFailure", "ALL_OLD");
        Written written = write("PutItem", request, ChargeRule.Call.IDEMPOTENT_WRITE, reply -> true, deadline);
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
        values(request).set(":owner", RecordItems.string(owner));
        request.putObject("ExpressionAttributeNames").put("#owner", RecordItems.OWNER);
        request.set("Key", RecordItems.key(key));
        request.put("ReturnValues", "ALL_OLD");
        request.put("ReturnValuesOnConditionCheckFailure", "ALL_OLD");
        Written written = write("DeleteItem", request, ChargeRule.Call.IDEMPOTENT_WRITE,
                reply -> reply.path("Attributes").isObject(), deadline);
        if (!written.applied() && written.uncertain() && written.found().isEmpty()) {
            // No item at all: only its owner deletes a claim's record (or the TTL, once it is over), so the earlier
            // try was applied.
            return true;
        }
        return conditionHeld(written, "DeleteItem");
    }

    /**
     * UpdateItem {@code SET n = n + 1, expires_at = :expires} on the counter's item, if it is absent or below the
     * limit. Never sent again after a try that may have counted: the guard errs toward refusing, never toward paying
     * more.
     */
    @Override
    public boolean incrementBelow(String key, long limit, Instant expiresAt, Deadline deadline) {
        ObjectNode request = request(BELOW_LIMIT, ":limit", RecordItems.number(limit));
        request.set("Key", RecordItems.key(key));
        request.put("UpdateExpression", "SET #n = if_not_exists(#n, :zero) + :one, expires_at = :expires");
        request.putObject("ExpressionAttributeNames").put("#n", RecordItems.COUNT);
        ObjectNode values = values(request);
        values.set(":zero", RecordItems.number(0));
        values.set(":one", RecordItems.number(1));
        values.set(":expires", RecordItems.number(RecordItems.epochSecondsRoundedUp(expiresAt)));
        return counted("UpdateItem", request, deadline).applied();
    }

    /** UpdateItem {@code ADD n :minus_one} if the counter is above zero; a counter already at zero is left alone. */
    @Override
    public void decrement(String key, Deadline deadline) {
        ObjectNode request = request(ABOVE_ZERO, ":zero", RecordItems.number(0));
        request.set("Key", RecordItems.key(key));
        request.put("UpdateExpression", "ADD #n :minus_one");
        request.putObject("ExpressionAttributeNames").put("#n", RecordItems.COUNT);
        values(request).set(":minus_one", RecordItems.number(-1));
        counted("UpdateItem", request, deadline);
    }

    /** A counter's write, confirmed by the count it returns. */
    private Written counted(String operation, ObjectNode request, Deadline deadline) {
        request.put("ReturnValues", "UPDATED_NEW");
        return write(operation, request, ChargeRule.Call.COUNTING_WRITE,
                reply -> reply.path("Attributes").path(RecordItems.COUNT).isObject(), deadline);
    }

    /** The request's table, condition and the condition's one value; the caller adds the item or key. */
    private ObjectNode request(String condition, String placeholder, ObjectNode value) {
        ObjectNode request = Json.object();
        request.put("TableName", table);
        request.put("ConditionExpression", condition);
        request.putObject("ExpressionAttributeValues").set(placeholder, value);
        return request;
    }

    private static ObjectNode values(ObjectNode request) {
        return (ObjectNode) request.get("ExpressionAttributeValues");
    }

    private static boolean conditionHeld(Written written, String operation) {
        if (!written.applied() && written.uncertain()) {
            throw new RecordsUnavailable("could not tell whether " + operation + " was applied: the first try got no"
                    + " usable reply and the second found its condition false", true);
        }
        return written.applied();
    }

    /**
     * What a call came to.
     *
     * @param applied the condition held and the write was made (for a read: it was answered)
     * @param uncertain an earlier try may have been applied (a 5xx, no reply after it was sent, a 200 not in shape)
     * @param found when the condition failed: the item that failed it, if the request asked for it
     * @param reply when applied: the service's answer
     */
    private record Written(boolean applied, boolean uncertain, Optional<JsonNode> found, JsonNode reply) {
    }

    /**
     * Sends one call within the deadline, tried as {@link Retries} and the {@link ChargeRule} allow (see above).
     *
     * @param confirms what a 200's JSON object must show for the call to count as done
     */
    private Written write(String operation, ObjectNode request, ChargeRule.Call kind, Predicate<JsonNode> confirms,
            Deadline deadline) {
        byte[] body = Json.bytes(request);
        Retries.Result<Written, String> result = retries.run(kind, schedule, deadline,
                timeout -> once(operation, body, confirms, timeout));
        boolean uncertain = result.anyUnknown();
        if (result.value().isPresent()) {
            Written done = result.value().get();
            return new Written(done.applied(), uncertain, done.found(), done.reply());
        }
        String why = result.lastFailure().map(Retries.Failed::failure).orElse(null);
        throw new RecordsUnavailable(switch (result.stop()) {
            case FINAL -> "the records table refused " + operation + ": " + why;
            case TRIES -> operation + " on the records table failed (" + why + ") twice";
            case CHARGE_RULE -> operation + " on the records table may have been applied (" + why + "); not sent"
                    + " again, since a repeat could count twice";
            case DEADLINE -> why == null ? "no time left for " + operation + " on the records table"
                    : operation + " on the records table failed (" + why + ") with no time left for another try";
            case DONE -> throw new IllegalStateException("done without a value");
        }, uncertain);
    }

    /** One try: its reply read as done, or as a failure with what the charge rule says of its effect. */
    private Retries.Ending<Written, String> once(String operation, byte[] body, Predicate<JsonNode> confirms,
            Duration timeout) {
        AwsJsonClient.Reply reply;
        try {
            reply = client().call(operation, body, timeout);
        } catch (AwsJsonClient.NoReply e) {
            return Retries.Failed.of((e.mayHaveArrived() ? "no reply (" : "no connection (") + e.getMessage() + ")",
                    ChargeRule.noReply(e.mayHaveArrived()), Retries.Again.AFTER_A_WAIT);
        } catch (SdkException e) {
            // Nothing was sent by this try.
            return Retries.Failed.of("the region or credentials could not be had", ChargeRule.Effect.NONE,
                    Retries.Again.NO);
        } catch (RuntimeException e) {
            return Retries.Failed.of("it could not be called (" + e.getClass().getSimpleName() + ")",
                    ChargeRule.Effect.NONE, Retries.Again.NO);
        }
        if (reply.status() == 200) {
            Optional<JsonNode> json = Json.parseObject(reply.body());
            if (json.isPresent() && confirms.test(json.get())) {
                return new Retries.Done<>(new Written(true, false, Optional.empty(), json.get()));
            }
            LOG.debugf("%s on the records table was answered 200 with a body not in the expected shape", operation);
            return Retries.Failed.of("200 with a reply not in the expected shape", ChargeRule.unreadableReply(),
                    Retries.Again.AFTER_A_WAIT);
        }
        Optional<JsonNode> error = Json.parseObject(reply.body());
        String code = AwsErrorCode.of(reply.errorType(), error.orElse(null));
        if (reply.status() == 400 && CONDITION_FAILED.equals(code)) {
            return new Retries.Done<>(new Written(false, false,
                    error.map(e -> e.get("Item")).filter(JsonNode::isObject), null));
        }
        ChargeRule.Effect effect = ChargeRule.errorStatus(ChargeRule.Peer.RECORDS_STORE, reply.status());
        Retries.Again again = AwsErrorCode.busy(reply.status(), code) ? Retries.Again.AFTER_A_WAIT : Retries.Again.NO;
        if (again == Retries.Again.AFTER_A_WAIT) {
            LOG.debugf("%s on the records table failed (%d %s)", operation, reply.status(), code);
        }
        return Retries.Failed.of(reply.status() + " " + code, effect, again);
    }

    @Override
    public void renewAfterRestore() {
        jitter.renewAfterRestore();
    }

    /** The generator the waits before a second try are drawn from now. */
    SecureRandom jitter() {
        return jitter.current();
    }

    /** Sets up the client the store sends through (region, endpoint, credentials chain), without a call. */
    @Override
    public void setUp() {
        client();
    }

    private synchronized AwsJsonClient client() {
        if (client == null) {
            client = connect.get();
        }
        return client;
    }
}
