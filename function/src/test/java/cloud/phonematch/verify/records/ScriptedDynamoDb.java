package cloud.phonematch.verify.records;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

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
import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.TimeSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * A scripted DynamoDB for the store's request tests: WireMock, started for a test class and reset before each test
 * ({@code @ExtendWith(ScriptedDynamoDb.class)}), answering with DynamoDB's replies and errors; the records the tests
 * write, a store and client pointed at it, and what it received.
 */
final class ScriptedDynamoDb implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    static final String TABLE = "phonematch-verify-records";
    static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");
    static final String KEY = "9f".repeat(32);
    static final String FINGERPRINT = "c4".repeat(32);
    static final String OUTCOME = "{\"status\":\"CONSISTENT\",\"mobile\":\"139****5670\"}";
    static final String OWNER = "5e".repeat(16);
    static final String OTHER_OWNER = "a7".repeat(16);
    static final StoredRecord CLAIM = new StoredRecord(KEY, FINGERPRINT, RecordState.IN_PROGRESS,
            NOW.plusMillis(9_500), null, NOW.plusSeconds(86_400), 1, OWNER);
    static final StoredRecord DONE = CLAIM.next(RecordState.COMPLETED, null, OUTCOME, NOW.plusSeconds(172_800));
    static final Duration CALL_TIMEOUT = Duration.ofMillis(500);
    static final AwsBasicCredentials CREDENTIALS = AwsBasicCredentials.create("AKIDRECORDSTEST",
            "records-test-secret");

    static WireMockServer dynamo;

    @Override
    public void beforeAll(ExtensionContext context) {
        dynamo = new WireMockServer(options().dynamicPort().notifier(new QuietNotifier()));
        dynamo.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        dynamo.stop();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        dynamo.resetAll();
    }

    static DynamoDbRecordStore store(Duration callTimeout) {
        return new DynamoDbRecordStore(TABLE, callTimeout, TimeSource.SYSTEM, ScriptedDynamoDb::client);
    }

    static AwsJsonClient client() {
        return client(URI.create(dynamo.baseUrl()));
    }

    static AwsJsonClient client(URI endpoint) {
        return AwsJsonClient.of(DynamoDbRecordStore.DYNAMODB, endpoint, Region.CN_NORTH_1,
                StaticCredentialsProvider.create(CREDENTIALS),
                Duration.ofSeconds(2), Clock.systemUTC());
    }

    static DynamoDbRecordStore storeAt(URI endpoint) {
        return new DynamoDbRecordStore(TABLE, CALL_TIMEOUT, TimeSource.SYSTEM, () -> client(endpoint));
    }

    static Deadline seconds(int left) {
        return millis(left * 1_000L);
    }

    static Deadline millis(long left) {
        return Deadline.of(TimeSource.SYSTEM, System.nanoTime(), left + 500, Duration.ofMillis(500),
                Duration.ofSeconds(1));
    }

    static void answer(ResponseDefinitionBuilder response) {
        dynamo.stubFor(any(anyUrl()).willReturn(response));
    }

    static void firstThen(ResponseDefinitionBuilder first, ResponseDefinitionBuilder then) {
        dynamo.stubFor(any(anyUrl()).inScenario("first-then").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(first).willSetStateTo("then"));
        dynamo.stubFor(any(anyUrl()).inScenario("first-then").whenScenarioStateIs("then").willReturn(then));
    }

    /** A connection closed with no reply: the request may have been applied. */
    static ResponseDefinitionBuilder noReply() {
        return aResponse().withFault(Fault.EMPTY_RESPONSE);
    }

    static ResponseDefinitionBuilder ok() {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.0").withBody("{}");
    }

    /** DeleteItem's answer with {@code ReturnValues: ALL_OLD}: the item deleted. */
    static ResponseDefinitionBuilder deleted(StoredRecord record) {
        ObjectNode body = Json.object();
        body.set("Attributes", RecordItems.item(record));
        return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.0")
                .withBody(Json.write(body));
    }

    /** UpdateItem's answer with {@code ReturnValues: UPDATED_NEW}: the new count. */
    static ResponseDefinitionBuilder counted(long n) {
        ObjectNode body = Json.object();
        body.putObject("Attributes").set(RecordItems.COUNT, RecordItems.number(n));
        return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.0")
                .withBody(Json.write(body));
    }

    /** DynamoDB's error shape: the type (with its namespace) and a message in the body. */
    static ResponseDefinitionBuilder error(int status, String type, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/x-amz-json-1.0")
                .withBody(Json.write(Json.object().put("__type", type).put("message", message)));
    }

    static ResponseDefinitionBuilder conditionFailed(ObjectNode item) {
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
    static void assertOnlyRequest(String operation, String body) {
        LoggedRequest sent = onlyRequest();
        assertEquals("DynamoDB_20120810." + operation, sent.getHeader("X-Amz-Target"));
        assertEquals("application/x-amz-json-1.0", sent.getHeader("Content-Type"));
        assertEquals(json(body), body(sent));
    }

    static LoggedRequest onlyRequest() {
        List<LoggedRequest> requests = dynamo.findAll(anyRequestedFor(anyUrl()));
        assertEquals(1, requests.size());
        return requests.get(0);
    }

    static int requests() {
        return dynamo.findAll(anyRequestedFor(anyUrl())).size();
    }

    static JsonNode body(LoggedRequest request) {
        return json(request.getBodyAsString());
    }

    static JsonNode json(String text) {
        return Json.parseObject(text).orElseThrow(() -> new AssertionError("not a JSON object: " + text));
    }
}
