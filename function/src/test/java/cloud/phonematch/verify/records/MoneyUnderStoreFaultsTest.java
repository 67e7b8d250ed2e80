package cloud.phonematch.verify.records;

import static cloud.phonematch.verify.support.TestPeople.MOBILE;
import static cloud.phonematch.verify.support.TestPeople.NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import cloud.phonematch.verify.aws.AwsJsonClient;
import cloud.phonematch.verify.verification.AttemptSettings;
import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.output.Language;
import cloud.phonematch.verify.output.Outcome;
import cloud.phonematch.verify.output.VerificationStatus;
import cloud.phonematch.verify.support.ApiStubs;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Fakes;
import cloud.phonematch.verify.support.FaultyDynamoDb;
import cloud.phonematch.verify.support.FaultyDynamoDb.Fault;
import cloud.phonematch.verify.support.LocalDynamoDb;
import cloud.phonematch.verify.verification.Caller;
import cloud.phonematch.verify.verification.ChargeRule;
import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.Invocation;
import cloud.phonematch.verify.verification.TimeSource;
import cloud.phonematch.verify.verification.TokenSource;
import cloud.phonematch.verify.verification.Tracing;
import cloud.phonematch.verify.verification.VerificationFlow;
import cloud.phonematch.verify.verification.VerificationGateway;
import cloud.phonematch.verify.verification.VerificationRequest;
import cloud.phonematch.verify.verification.VerificationResult;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The money promises with the records store failing at the wire: each "container" is a whole verification flow (the
 * live gateway to the API fake, the token from the Secrets Manager fake) over its own DynamoDB store client, all on
 * one table of a real DynamoDB engine ({@link LocalDynamoDb}) reached through {@link FaultyDynamoDb}, which applies a
 * write and then answers 500, answers 200 with a body that is no reply, or passes requests on; containers may run on
 * clocks of their own. Paid calls and charged answers are counted in the API fake's journal, store calls in the
 * proxy's, the budget's counter and the records read from the engine — never from the code under test.
 */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
@ExtendWith(LocalDynamoDb.class)
class MoneyUnderStoreFaultsTest {
    private static final byte[] HASH_KEY = "money-under-store-faults-hash-key-32+".getBytes(StandardCharsets.UTF_8);

    private static FaultyDynamoDb dynamo;
    private static AwsJsonClient throughProxy;

    @Inject
    AttemptSettings config;
    @Inject
    TokenSource tokens;
    @Inject
    VerificationGateway gateway;

    private String table;

    @BeforeAll
    static void start() {
        dynamo = FaultyDynamoDb.start();
        throughProxy = dynamo.client(Duration.ofSeconds(2));
    }

    @AfterAll
    static void stop() {
        if (throughProxy != null) {
            throughProxy.close();
        }
        if (dynamo != null) {
            dynamo.close();
        }
    }

    @BeforeEach
    void setUp() {
        Fakes.reset();
        dynamo.clear();
        table = "money-" + UUID.randomUUID();
        LocalDynamoDb.createTable(table);
    }

    // ------------------------------------------------------------------ the budget

    /** A give-back that the store applied and then answered 500 for is not sent again: it would count twice. */
    @Test
    void aGiveBackAppliedThenAnswered500IsNotAppliedTwice() {
        Container c = container(Clock.systemUTC(), false, 2);
        ApiStubs.answerInOrder(ApiStubs.result("0"), ApiStubs.result("-1"), ApiStubs.result("0"), ApiStubs.result("0"));

        assertEquals(VerificationStatus.CONSISTENT, answered(c.verify(null)).status());
        // The second: its reservation (an UpdateItem passed on) given back by an UpdateItem applied then answered 500.
        dynamo.inject("UpdateItem", Fault.PASS, Fault.APPLY_THEN_500);
        assertEquals(VerificationStatus.NO_RECORD, answered(c.verify(null)).status());
        assertEquals(VerificationStatus.CONSISTENT, answered(c.verify(null)).status());
        VerificationResult.Failed over = assertInstanceOf(VerificationResult.Failed.class, c.verify(null));

        assertEquals(ErrorType.BUDGET_EXHAUSTED, over.failure().type());
        assertEquals(0, dynamo.pending("UpdateItem"), "both faults met");
        assertEquals(2, chargedAnswersServed(), "two charged answers with a budget of two");
        assertEquals(3, ApiStubs.calls().size());
        assertEquals(2, counter(), "the counter counts the two charged answers, not one less");
        // Reserve, reserve + give-back, reserve, refused reserve: the give-back was sent once.
        assertEquals(5, calls("UpdateItem"));
    }

    /**
     * A caller's reservation given back because the budget of all had no room, applied by the store and then answered
     * 500, is not sent again: the caller's counter keeps the one charged answer, not one less.
     */
    @Test
    void aCallersGiveBackAppliedThenAnswered500IsNotAppliedTwice() {
        Container c = container(Clock.systemUTC(), false, 1, 5, Duration.ZERO);
        Caller alice = Caller.authenticated("iam:arn:aws:iam::111122223333:user/alice");
        ApiStubs.answerInOrder(ApiStubs.result("0"), ApiStubs.result("0"));

        assertEquals(VerificationStatus.CONSISTENT, answered(c.verifyAs(alice)).status());
        // The second: the caller's reservation passes, the one of all is refused, the caller's give-back is applied
        // and then answered 500.
        dynamo.inject("UpdateItem", Fault.PASS, Fault.PASS, Fault.APPLY_THEN_500);
        VerificationResult.Failed over = assertInstanceOf(VerificationResult.Failed.class, c.verifyAs(alice));

        assertEquals(ErrorType.BUDGET_EXHAUSTED, over.failure().type());
        assertTrue(over.failure().message().contains("today's budget of 1"), over.failure().message());
        assertEquals(0, dynamo.pending("UpdateItem"), "the fault was met");
        assertEquals(1, ApiStubs.calls().size());
        assertEquals(1, counter("caller-budget#"), "the caller's counter: the one charged answer, not one less");
        assertEquals(1, counter("budget#"));
        // Two reserves; then a reserve, a refused reserve and one give-back.
        assertEquals(5, calls("UpdateItem"));
    }

    /**
     * Every attempt that may cost money takes budget before it is sent: after a 504 (possibly charged) a budget of one
     * has nothing left for the repeat, and the invocation says its outcome is unknown.
     */
    @Test
    void aRepeatAfterAPossiblyChargedAttemptNeedsBudgetOfItsOwn() {
        Container c = container(Clock.systemUTC(), true, 1);
        ApiStubs.answerInOrder(ApiStubs.error(504, "gateway_timeout"), ApiStubs.result("0"));

        VerificationResult.Failed failed = assertInstanceOf(VerificationResult.Failed.class, c.verify(null));

        assertEquals(ErrorType.BUDGET_EXHAUSTED, failed.failure().type());
        assertTrue(failed.failure().outcomeUnknown(), "the 504 may have been charged: never 'nothing was charged'");
        assertEquals(1, ApiStubs.calls().size(), "no second possibly charged call over a budget of one");
        assertEquals(1, counter(), "the possibly charged attempt keeps its reservation");
    }

    /** An answer after a possibly charged attempt says so: billable, with the attempt counted. */
    @Test
    void anUnchargedAnswerAfterAPossiblyChargedAttemptIsBillable() {
        Container c = container(Clock.systemUTC(), true, 5);
        ApiStubs.answerInOrder(ApiStubs.error(502, "bad_gateway"), ApiStubs.result("-1"));

        Outcome outcome = answered(c.verify(null));

        assertEquals(VerificationStatus.NO_RECORD, outcome.status());
        assertEquals(1, outcome.possiblyChargedAttempts());
        assertTrue(outcome.billable(), "the 502 may have been charged");
        assertTrue(outcome.toJson().path("billable").asBoolean());
        assertEquals(2, ApiStubs.calls().size());
        assertEquals(1, counter(), "the 502's reservation kept, the -1's given back");
    }

    /** A reservation answered 200 with an empty body is unknown, never a success: no call on an uncounted budget. */
    @Test
    void aReservationAnswered200WithoutItsCountSendsNothing() {
        Container c = container(Clock.systemUTC(), false, 1);
        ApiStubs.answerInOrder(ApiStubs.result("0"));

        dynamo.inject("UpdateItem", Fault.EMPTY_200_NOT_APPLIED);
        VerificationResult.Failed unknown = assertInstanceOf(VerificationResult.Failed.class, c.verify(null));
        assertEquals(ErrorType.RECORDS_UNAVAILABLE, unknown.failure().type());
        assertEquals(0, ApiStubs.calls().size(), "nothing was sent on a reservation nobody counted");

        assertEquals(VerificationStatus.CONSISTENT, answered(c.verify(null)).status());
        assertEquals(ErrorType.BUDGET_EXHAUSTED,
                assertInstanceOf(VerificationResult.Failed.class, c.verify(null)).failure().type());
        assertEquals(1, chargedAnswersServed(), "one charged answer with a budget of one");
        assertEquals(List.of(Fault.EMPTY_200_NOT_APPLIED, Fault.PASS, Fault.PASS), faults("UpdateItem"),
                "the unknown reservation was not sent again; then one reserved, one refused");
    }

    // ------------------------------------------------------------------ the records

    /** A claim answered 200 with an empty body is tried again, and the record it makes keeps the repeat from paying. */
    @Test
    void aClaimAnswered200WithoutAReplyIsNotTakenAsWritten() {
        Container a = container(Clock.systemUTC(), false, 0);
        ApiStubs.answerInOrder(ApiStubs.result("0"));
        String key = "order-" + UUID.randomUUID();

        dynamo.inject("PutItem", Fault.EMPTY_200_NOT_APPLIED);
        assertEquals(VerificationStatus.CONSISTENT, answered(a.verify(key)).status());
        Outcome again = answered(container(Clock.systemUTC(), false, 0).verify(key));

        assertTrue(again.replayed(), "the repeat on another container is a replay");
        assertEquals(1, ApiStubs.calls().size(), "paid once");
        assertEquals("COMPLETED", onlyRecord().path("state").path("S").asText());
    }

    /** A claim the store applied and answered 500 for is recognized as this invocation's own by its owner id. */
    @Test
    void aClaimAppliedThenAnswered500IsTheInvocationsOwn() {
        ApiStubs.answerInOrder(ApiStubs.result("1"));
        String key = "order-" + UUID.randomUUID();

        dynamo.inject("PutItem", Fault.APPLY_THEN_500);
        assertEquals(VerificationStatus.INCONSISTENT, answered(container(Clock.systemUTC(), false, 0).verify(key))
                .status());
        assertTrue(answered(container(Clock.systemUTC(), false, 0).verify(key)).replayed());

        assertEquals(1, ApiStubs.calls().size());
        assertEquals(4, calls("PutItem"),
                "the claim's two tries (the second found its own item), the settle, the repeat's claim");
    }

    /**
     * A record past its expiry whose lock still runs (what a TTL shorter than a lock would leave) stands: the claim
     * condition honours {@code locked_until}, so a second container does not pay again while the holder may run.
     */
    @Test
    void aClaimHonoursARunningLockOnAnExpiredRecord() {
        String key = "order-" + UUID.randomUUID();
        RecordHashing hashing = new RecordHashing(HASH_KEY);
        Instant now = Instant.now();
        ObjectNode item = RecordItems.item(new StoredRecord(hashing.idempotencyKey(null, key),
                hashing.request(NAME, MOBILE, false), RecordState.IN_PROGRESS, now.plusSeconds(60), null,
                now.minusSeconds(5), 1, "0f".repeat(16)));
        putDirectly(item);
        ApiStubs.answerInOrder(ApiStubs.result("0"));

        VerificationResult.Failed refused = assertInstanceOf(VerificationResult.Failed.class,
                container(Clock.systemUTC(), false, 0).verify(key));

        assertEquals(ErrorType.IN_PROGRESS, refused.failure().type());
        assertEquals(0, ApiStubs.calls().size());
    }

    /**
     * The late settle of an invocation whose hold lapsed leaves alone the record another claim wrote since: a replace
     * is conditioned on its owner, not on the version alone (both claims are version 1).
     */
    @Test
    void aLateSettleNeverOverwritesAnotherClaimsRecord() {
        String key = "order-" + UUID.randomUUID();
        RecordHashing hashing = new RecordHashing(HASH_KEY);
        Container a = container(Clock.systemUTC(), false, 0);
        ApiStubs.answerInOrder(ApiStubs.result("0"));
        Invocation invocation = invocation(10_000);
        StoredVerificationRecords records = a.records();
        var claim = assertInstanceOf(cloud.phonematch.verify.verification.VerificationRecords.Claim.Granted.class,
                records.claim(RecordsTesting.keyed(key, NAME, MOBILE), invocation.deadline()));
        // The key changes hands while this invocation still runs: another claim of version 1, another owner.
        Instant now = Instant.now();
        String theirs = "e1".repeat(16);
        putDirectly(RecordItems.item(new StoredRecord(hashing.idempotencyKey(null, key),
                hashing.request(NAME, MOBILE, false), RecordState.IN_PROGRESS, now.plusSeconds(20), null,
                now.plus(Duration.ofDays(15)), 1, theirs)));

        records.settle(claim, RecordsTesting.consistent(), invocation.deadline());

        JsonNode record = onlyRecord();
        assertEquals(theirs, record.path("owner").path("S").asText(), "the other claim's record stands");
        assertEquals("IN_PROGRESS", record.path("state").path("S").asText());
    }

    /**
     * A container whose clock runs ahead by less than the margin (here 3 s ahead, more than the lock used to allow)
     * still sees a running invocation's lock held, even when its operator accepted repeating possibly charged calls.
     */
    @Test
    void aContainerWhoseClockRunsAheadDoesNotTakeARunningLock() {
        String key = "order-" + UUID.randomUUID();
        Container holder = container(Clock.systemUTC(), false, 0);
        Container ahead = container(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(3)), true, 0);
        ApiStubs.answerInOrder(ApiStubs.result("0"));
        // The holder's invocation has 2 s before Lambda's timeout; its claim is taken, its call not yet made.
        Invocation holding = invocation(2_000);
        var claim = assertInstanceOf(cloud.phonematch.verify.verification.VerificationRecords.Claim.Granted.class,
                holder.records().claim(RecordsTesting.keyed(key, NAME, MOBILE), holding.deadline()));

        VerificationResult.Failed refused = assertInstanceOf(VerificationResult.Failed.class, ahead.verify(key));
        holder.records().settle(claim, RecordsTesting.consistent(), holding.deadline());

        assertEquals(ErrorType.IN_PROGRESS, refused.failure().type());
        assertEquals(0, ApiStubs.calls().size(), "the container ahead made no call");
        assertTrue(answered(ahead.verify(key)).replayed(), "and once the holder settled, it replays its answer");
    }

    /** A repeat of a key more than a day later (a Step Functions redrive can come 14 days later) is still a replay. */
    @Test
    void aRepeatTwoWeeksLaterIsStillAReplay() {
        String key = "order-" + UUID.randomUUID();
        ApiStubs.answerInOrder(ApiStubs.result("0"));
        assertEquals(VerificationStatus.CONSISTENT, answered(container(Clock.systemUTC(), false, 0).verify(key))
                .status());

        Clock later = Clock.offset(Clock.systemUTC(), RecordsTiming.REDRIVE_WINDOW.minusMinutes(1));
        assertTrue(answered(container(later, false, 0).verify(key)).replayed());
        assertEquals(1, ApiStubs.calls().size());
    }

    /** A kept answer given again to another request for the same person is worded in that request's language. */
    @Test
    void aReusedAnswerIsWordedInTheLanguageOfTheRequestItIsGivenTo() {
        Container c = container(Clock.systemUTC(), false, 0, Duration.ofDays(30));
        ApiStubs.answerInOrder(ApiStubs.result("0"));

        Outcome chinese = answered(c.verify(null, Language.ZH));
        Outcome english = answered(c.verify(null, Language.EN));

        assertEquals("验证结果一致", chinese.description());
        assertEquals("中国移动", chinese.carrier());
        assertTrue(english.reused());
        assertEquals("Verification result is consistent", english.description());
        assertEquals("China Mobile", english.carrier());
        assertEquals(1, ApiStubs.calls().size());
    }

    // ------------------------------------------------------------------ helpers

    /** One container: its own store client on the proxy, its clock, its charge rule, its budget. */
    private record Container(VerificationFlow flow, StoredVerificationRecords records) {
        VerificationResult verify(String key) {
            return verify(key, Language.EN);
        }

        VerificationResult verify(String key, Language language) {
            return flow.verify(new VerificationRequest(NAME, MOBILE, language, "c", key, false, Caller.DIRECT),
                    invocation(10_000));
        }

        VerificationResult verifyAs(Caller caller) {
            return flow.verify(new VerificationRequest(NAME, MOBILE, Language.EN, "c", null, false, caller),
                    invocation(10_000));
        }
    }

    private Container container(Clock clock, boolean repeatPossiblyCharged, long budget) {
        return container(clock, repeatPossiblyCharged, budget, Duration.ZERO);
    }

    private Container container(Clock clock, boolean repeatPossiblyCharged, long budget, Duration reuseWindow) {
        return container(clock, repeatPossiblyCharged, budget, 0, reuseWindow);
    }

    private Container container(Clock clock, boolean repeatPossiblyCharged, long budget, long callerBudget,
            Duration reuseWindow) {
        DynamoDbRecordStore store = new DynamoDbRecordStore(table, Duration.ofSeconds(2), TimeSource.SYSTEM,
                () -> throughProxy);
        HashKeys keys = deadline -> new RecordHashing(HASH_KEY);
        ChargeRule rule = ChargeRule.of(repeatPossiblyCharged);
        StoredVerificationRecords records = new StoredVerificationRecords(store, keys, clock, RecordsTesting.TIMING, rule);
        VerificationFlow flow = new VerificationFlow(config, rule, tokens, gateway, records,
                new DailyBudgetSpendGuard(store, keys, clock, budget, callerBudget), new StoredResultReuse(store, keys, clock, reuseWindow),
                TimeSource.SYSTEM, Tracing.NONE);
        return new Container(flow, records);
    }

    private static Invocation invocation(long remainingMs) {
        return new Invocation("r-" + UUID.randomUUID(), "c", System.nanoTime(), Deadline.of(TimeSource.SYSTEM,
                System.nanoTime(), remainingMs, Duration.ofMillis(500), Duration.ofSeconds(1)));
    }

    private static Outcome answered(VerificationResult result) {
        return assertInstanceOf(VerificationResult.Answered.class, result, result.toString()).outcome();
    }

    /** Charged answers (0 or 1) the API fake served, read from its journal. */
    private static long chargedAnswersServed() {
        return FakeApis.api().getAllServeEvents().stream().map(ServeEvent::getResponse)
                .filter(r -> r.getStatus() == 200)
                .map(r -> Json.parseObject(r.getBodyAsString()).map(b -> b.path("result").asText()).orElse(""))
                .filter(code -> code.equals("0") || code.equals("1")).count();
    }

    /** Calls of an operation on this test's table, as the proxy journaled them. */
    private int calls(String operation) {
        return faults(operation).size();
    }

    /** What the proxy did with each call of an operation on this test's table, in order. */
    private List<Fault> faults(String operation) {
        return dynamo.journal(operation).stream().filter(call -> call.request().contains(table))
                .map(FaultyDynamoDb.Call::fault).toList();
    }

    /** The budget counter of today in China, as the engine holds it; 0 when there is none. */
    private long counter() {
        return counter("budget#");
    }

    /** The sum of the counters whose keys start with {@code prefix}, as the engine holds them. */
    private long counter(String prefix) {
        return dynamo.scan(table).entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToLong(e -> e.getValue().path(RecordItems.COUNT).path("N").asLong()).sum();
    }

    /** The one idempotency record of the table, as the engine holds it. */
    private JsonNode onlyRecord() {
        Map<String, JsonNode> items = dynamo.scan(table);
        assertEquals(1, items.size(), items.toString());
        return items.values().iterator().next();
    }

    /** Writes an item straight into the engine, past the proxy and the code under test. */
    private void putDirectly(ObjectNode item) {
        ObjectNode request = Json.object().put("TableName", table);
        request.set("Item", item);
        AwsJsonClient.Reply reply = LocalDynamoDb.client(Duration.ofSeconds(5)).call("PutItem", Json.bytes(request),
                Duration.ofSeconds(5));
        assertEquals(200, reply.status(), reply.body());
        assertFalse(reply.body() == null);
    }
}
