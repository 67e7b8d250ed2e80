package cloud.phonematch.verify.records;

import static cloud.phonematch.verify.support.TestPeople.MOBILE;
import static cloud.phonematch.verify.support.TestPeople.NAME;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import cloud.phonematch.verify.aws.AwsJsonClient;
import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.verification.AttemptSettings;
import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Language;
import cloud.phonematch.verify.output.VerificationStatus;
import cloud.phonematch.verify.support.ApiStubs;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Fakes;
import cloud.phonematch.verify.support.LocalDynamoDb;
import cloud.phonematch.verify.support.QuietNotifier;
import cloud.phonematch.verify.verification.ChargeRule;
import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.Invocation;
import cloud.phonematch.verify.verification.ResultReuse;
import cloud.phonematch.verify.verification.SpendGuard;
import cloud.phonematch.verify.verification.TimeSource;
import cloud.phonematch.verify.verification.TokenSource;
import cloud.phonematch.verify.verification.Tracing;
import cloud.phonematch.verify.verification.VerificationFlow;
import cloud.phonematch.verify.verification.VerificationGateway;
import cloud.phonematch.verify.verification.VerificationRequest;
import cloud.phonematch.verify.verification.VerificationResult;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * A claim whose write the table made but whose reply never came, through the whole verification: the records on a
 * real DynamoDB engine ({@link LocalDynamoDb}) reached through a WireMock proxy that passes each request on and, when
 * told to, holds the reply past the store's call timeout (the write is made, the store hears nothing). API calls are
 * counted in the API fake's journal, the table's items read from the engine.
 */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
@ExtendWith(LocalDynamoDb.class)
class LostReplyFlowTest {
    private static final Duration CALL_TIMEOUT = Duration.ofMillis(300);
    /** Well past the call timeout: the store gives up on the reply, the engine has made the write. */
    private static final int HELD_MS = 1_500;

    private static AwsJsonClient engine;
    private static WireMockServer proxy;

    @Inject
    AttemptSettings config;
    @Inject
    TokenSource tokens;
    @Inject
    VerificationGateway gateway;
    @Inject
    SpendGuard spend;
    @Inject
    ResultReuse reuse;

    private String table;
    private VerificationFlow flow;

    @BeforeAll
    static void start() {
        engine = LocalDynamoDb.client(Duration.ofSeconds(2));
        proxy = new WireMockServer(options().dynamicPort().notifier(new QuietNotifier()));
        proxy.start();
    }

    @AfterAll
    static void stop() {
        proxy.stop();
    }

    @BeforeEach
    void setUp() {
        Fakes.reset();
        proxy.resetAll();
        table = "lost-" + UUID.randomUUID();
        LocalDynamoDb.createTable(table);
        AwsJsonClient throughProxy = AwsJsonClient.of(DynamoDbRecordStore.DYNAMODB, URI.create(proxy.baseUrl()),
                Region.CN_NORTH_1, StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCALTEST",
                        "local-test-secret")), Duration.ofSeconds(2), Clock.systemUTC());
        DynamoDbRecordStore store = new DynamoDbRecordStore(table, CALL_TIMEOUT, TimeSource.SYSTEM,
                () -> throughProxy);
        StoredVerificationRecords records = RecordsTesting.records(store, HashKeys.perContainer(), Clock.systemUTC(), false);
        flow = new VerificationFlow(config, ChargeRule.standard(), tokens, gateway, records, spend, reuse,
                TimeSource.SYSTEM, Tracing.NONE);
        ApiStubs.answer(ApiStubs.result("0"));
    }

    @Test
    void aClaimMadeWhoseReplyWasLostIsFoundAsOursAndTheVerificationMakesOneCall() {
        repliesLost(1);
        String key = "order-" + UUID.randomUUID();

        VerificationResult result = verify(key);

        VerificationResult.Answered answered = assertInstanceOf(VerificationResult.Answered.class, result,
                result.toString());
        assertEquals(VerificationStatus.CONSISTENT, answered.outcome().status());
        assertEquals(1, ApiStubs.calls().size(), "one call to the paid API");
        List<JsonNode> items = items();
        assertEquals(1, items.size(), "one item in the table: " + items);
        assertEquals("COMPLETED", items.get(0).path("state").path("S").asText(), "settled by its owner");
        assertEquals(3, proxy.findAll(anyRequestedFor(anyUrl())).size(),
                "the claim tried twice (the second found its own item), the settle once");
    }

    @Test
    void aClaimThatFailedAfterItsWriteWasMadeIsReleasedAndTheRetryCallsOnce() {
        repliesLost(2);
        String key = "order-" + UUID.randomUUID();

        VerificationResult.Failed failed = assertInstanceOf(VerificationResult.Failed.class, verify(key));
        assertEquals(ErrorType.RECORDS_UNAVAILABLE, failed.failure().type());
        assertEquals(0, ApiStubs.calls().size(), "nothing was sent");
        assertEquals(List.of(), items(), "the claim the table made was released");

        VerificationResult retry = verify(key);

        assertEquals(VerificationStatus.CONSISTENT, assertInstanceOf(VerificationResult.Answered.class, retry,
                retry.toString()).outcome().status(), "the caller's retry: not IN_PROGRESS, not outcome-unknown");
        assertEquals(1, ApiStubs.calls().size());
        assertEquals(1, items().size());
    }

    private VerificationResult verify(String key) {
        Deadline deadline = Deadline.of(TimeSource.SYSTEM, System.nanoTime(), 5_000, config.deadlineMargin(),
                config.minAttemptTime());
        return flow.verify(new VerificationRequest(NAME, MOBILE, Language.EN, "c", key),
                new Invocation("r", "c", System.nanoTime(), deadline));
    }

    /** The first {@code n} requests reach the engine and their replies come too late; every later one is passed on. */
    private static void repliesLost(int n) {
        String state = Scenario.STARTED;
        for (int i = 1; i <= n; i++) {
            String next = "lost-" + i;
            proxy.stubFor(any(anyUrl()).inScenario("lost").whenScenarioStateIs(state)
                    .willReturn(passedOn().withFixedDelay(HELD_MS)).willSetStateTo(next));
            state = next;
        }
        proxy.stubFor(any(anyUrl()).inScenario("lost").whenScenarioStateIs(state).willReturn(passedOn()));
    }

    private static ResponseDefinitionBuilder passedOn() {
        return aResponse().proxiedFrom(System.getProperty(LocalDynamoDb.ENDPOINT_PROPERTY));
    }

    /** Every item of this test's table, as the engine holds it. */
    private List<JsonNode> items() {
        AwsJsonClient.Reply scan = engine.call("Scan", Json.bytes(Json.object().put("TableName", table)),
                Duration.ofSeconds(2));
        assertEquals(200, scan.status(), scan.body());
        List<JsonNode> items = new ArrayList<>();
        Json.parseObject(scan.body()).orElseThrow().path("Items").forEach(items::add);
        return items;
    }
}
