package cloud.phonematch.verify.records;

import static cloud.phonematch.verify.support.TestPeople.MOBILE;
import static cloud.phonematch.verify.support.TestPeople.NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.output.InvalidRequestException;
import cloud.phonematch.verify.output.OutcomeUnknownException;
import cloud.phonematch.verify.precheck.MobileNumbers;
import cloud.phonematch.verify.precheck.PersonNames;
import cloud.phonematch.verify.support.ApiStubs;
import cloud.phonematch.verify.support.Events;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Fakes;
import cloud.phonematch.verify.support.Lambda;
import cloud.phonematch.verify.support.SecretsManagerStubs;
import cloud.phonematch.verify.verification.VerificationRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Idempotency keys through the function, both kinds of caller. Call counts come from the fakes' journals; every
 * key is new to each test, since the records outlive a test within the running function.
 */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
class IdempotencyFlowTest {

    @Inject
    VerificationRecords records;

    @BeforeEach
    void reset() {
        Fakes.reset();
    }

    private static String key() {
        return "test-" + UUID.randomUUID();
    }

    private static String keyed(String key, String name, String mobile) {
        ObjectNode n = Json.object();
        n.put("name", name);
        n.put("mobile", mobile);
        n.put("idempotency_key", key);
        return Json.write(n);
    }

    @Test
    void aRepeatedKeyIsAnsweredAgainWithoutACallOrACharge() {
        ApiStubs.answer(ApiStubs.result("0"));
        String key = key();

        JsonNode first = Lambda.direct(keyed(key, NAME, MOBILE));
        JsonNode again = Lambda.direct(keyed(key, NAME, MOBILE));

        assertTrue(first.path("billable").asBoolean());
        assertFalse(first.path("replayed").asBoolean());
        assertEquals("CONSISTENT", again.path("status").asText());
        assertTrue(again.path("replayed").asBoolean());
        assertFalse(again.path("billable").asBoolean(), "charged once, by the first invocation");
        assertEquals(0, again.path("attempts").asInt());
        assertEquals(first.path("upstream_trace_id"), again.path("upstream_trace_id"));
        assertEquals(1, ApiStubs.calls().size());
        assertEquals(1, SecretsManagerStubs.calls());
    }

    @Test
    void theHeaderKeyWorksForApiGatewayCallersAndTypingDifferencesAreTheSamePerson() {
        ApiStubs.answer(ApiStubs.result("1"));
        Map<String, String> header = Map.of("idempotency-key", key());

        Lambda.HttpReply first = Lambda.http(Events.httpV2("POST", "/verifications", Events.body(NAME, MOBILE),
                header));
        Lambda.HttpReply again = Lambda.http(Events.httpV2("POST", "/verifications",
                Events.body(" " + NAME + " ", "+86 " + MOBILE), header));

        assertEquals(200, first.statusCode());
        assertEquals("INCONSISTENT", again.body().path("status").asText());
        assertTrue(again.body().path("replayed").asBoolean());
        assertEquals(1, ApiStubs.calls().size());
    }

    @Test
    void theSameKeyWithAnotherNumberIsRefused() {
        ApiStubs.answer(ApiStubs.result("0"));
        String key = key();
        Lambda.direct(keyed(key, NAME, MOBILE));

        Lambda.FunctionError failure = Lambda.directFailure(keyed(key, NAME, "13800138000"));
        Lambda.HttpReply reply = Lambda.http(Events.httpV2("POST", "/verifications", Events.body(NAME, "13800138000"),
                Map.of("idempotency-key", key)));

        assertEquals(InvalidRequestException.class.getName(), failure.errorType());
        assertEquals("IDEMPOTENCY_KEY_REUSED", failure.error().path("type").asText());
        assertEquals(422, reply.statusCode());
        assertEquals(1, ApiStubs.calls().size());
    }

    @Test
    void aFailureThatCannotHaveBeenChargedLeavesTheKeyFreeForTheRetry() {
        ApiStubs.answer(ApiStubs.error(503, "unavailable"));
        String key = key();
        Lambda.directFailure(keyed(key, NAME, MOBILE));
        assertEquals(3, ApiStubs.calls().size());

        ApiStubs.answer(ApiStubs.result("0"));
        JsonNode retried = Lambda.direct(keyed(key, NAME, MOBILE));

        assertEquals("CONSISTENT", retried.path("status").asText());
        assertFalse(retried.path("replayed").asBoolean());
        assertEquals(4, ApiStubs.calls().size());
    }

    @Test
    void aFailureThatMayHaveBeenChargedIsNeverSentAgainUnderItsKey() {
        ApiStubs.answer(ApiStubs.result("0").withFixedDelay(2_500));
        String key = key();
        Lambda.FunctionError first = Lambda.directFailure(keyed(key, NAME, MOBILE));
        assertEquals(OutcomeUnknownException.class.getName(), first.errorType());

        ApiStubs.answer(ApiStubs.result("0"));
        Lambda.FunctionError again = Lambda.directFailure(keyed(key, NAME, MOBILE));

        assertEquals(OutcomeUnknownException.class.getName(), again.errorType());
        assertTrue(again.error().path("outcome_unknown").asBoolean());
        assertFalse(again.error().path("retryable").asBoolean());
        assertEquals(1, ApiStubs.calls().size(), "the repeat made no call");
        assertEquals(1, first.error().path("attempts").asInt());
        assertEquals(1, first.error().path("possibly_charged_attempts").asInt(), "the call that timed out");
        assertEquals(0, again.error().path("attempts").asInt());
        assertEquals(0, again.error().path("possibly_charged_attempts").asInt(), "this invocation charged nothing");
    }

    /**
     * A container runs one invocation at a time (so does Quarkus's mock event server): a duplicate sent while the
     * first runs is handled after it, and replayed. Duplicates on two containers at once meet the lock instead
     * ({@code StoredVerificationRecordsTest}).
     */
    @Test
    void aDuplicateSentWhileTheFirstRunsIsReplayedAfterIt() throws Exception {
        ApiStubs.answer(ApiStubs.result("0").withFixedDelay(700));
        String event = Events.httpV2("POST", "/verifications", Events.body(NAME, MOBILE),
                Map.of("idempotency-key", key()));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Lambda.HttpReply> replies = new ArrayList<>();
        try {
            Future<Lambda.HttpReply> a = pool.submit(() -> Lambda.http(event));
            Thread.sleep(200);
            Future<Lambda.HttpReply> b = pool.submit(() -> Lambda.http(event));
            replies.add(a.get());
            replies.add(b.get());
        } finally {
            pool.shutdownNow();
        }

        assertEquals(200, replies.get(0).statusCode());
        assertEquals(200, replies.get(1).statusCode());
        assertTrue(replies.get(0).body().path("replayed").asBoolean() != replies.get(1).body().path("replayed")
                .asBoolean(), "one answered, the other replayed");
        assertEquals(1, ApiStubs.calls().size());
    }

    @Test
    void aKeyOutsideTheAlphabetOrDisagreeingWithTheHeaderIsRefusedUpFront() {
        Lambda.FunctionError badBody = Lambda.directFailure(keyed("has space", NAME, MOBILE));
        Lambda.HttpReply badHeader = Lambda.http(Events.httpV2("POST", "/verifications", Events.body(NAME, MOBILE),
                Map.of("idempotency-key", "x".repeat(256))));
        Lambda.HttpReply disagree = Lambda.http(Events.httpV2("POST", "/verifications", keyed("one", NAME, MOBILE),
                Map.of("idempotency-key", "two")));

        assertEquals("INVALID_REQUEST", badBody.error().path("type").asText());
        assertTrue(badBody.error().path("message").asText().contains("idempotency_key"));
        assertEquals(400, badHeader.statusCode());
        assertEquals(400, disagree.statusCode());
        assertEquals(0, ApiStubs.calls().size());
        assertEquals(0, SecretsManagerStubs.calls());
    }

    /** The single-verification state machine passes a key of another type through for this refusal. */
    @Test
    void aKeyThatIsNotAStringIsRefusedUpFront() {
        for (String key : List.of("42", "{\"id\":\"order-1\"}")) {
            Lambda.FunctionError failure = Lambda.directFailure("{\"name\":\"" + NAME + "\",\"mobile\":\"" + MOBILE
                    + "\",\"idempotency_key\":" + key + "}");

            assertEquals(InvalidRequestException.class.getName(), failure.errorType(), key);
            assertEquals("INVALID_REQUEST", failure.error().path("type").asText(), key);
            assertTrue(failure.error().path("message").asText().contains("idempotency_key"), key);
        }
        assertEquals(0, ApiStubs.calls().size());
        assertEquals(0, SecretsManagerStubs.calls());
    }

    /**
     * A key held by a running invocation (claimed here, as that invocation would, and never settled) answers 409 over
     * API Gateway, with Retry-After saying when the holder's lock runs out; nothing is sent.
     */
    @Test
    void aKeyStillHeldAnswersInProgressWithRetryAfter() {
        String key = key();
        VerificationRecords.KeyedRequest held = RecordsTesting.keyed(key, PersonNames.normalize(NAME),
                MobileNumbers.normalize(MOBILE));
        assertInstanceOf(VerificationRecords.Claim.Granted.class, records.claim(held, RecordsTesting.tenSeconds()));

        Lambda.HttpReply reply = Lambda.http(Events.httpV2("POST", "/verifications", Events.body(NAME, MOBILE),
                Map.of("idempotency-key", key)));

        assertEquals(409, reply.statusCode());
        assertEquals("IN_PROGRESS", reply.body().path("error").path("type").asText());
        assertTrue(reply.body().path("error").path("retryable").asBoolean());
        long seconds = reply.body().path("error").path("retry_after_seconds").asLong();
        long longest = 10 + RecordsTesting.TIMING.clockSkewMargin().toSeconds();
        assertTrue(seconds > 0 && seconds <= longest, "until the holder's timeout and the skew allowance: " + seconds);
        assertEquals(Long.toString(seconds), reply.header("Retry-After"));
        assertEquals(0, ApiStubs.calls().size());
        assertEquals(0, SecretsManagerStubs.calls());
    }

    @Test
    void theSameKeyAskingForAFreshCheckIsAnotherRequestAndRefused() {
        ApiStubs.answer(ApiStubs.result("0"));
        String key = key();
        Lambda.direct(keyed(key, NAME, MOBILE));

        ObjectNode fresh = (ObjectNode) Json.parseObject(keyed(key, NAME, MOBILE)).orElseThrow();
        fresh.put("fresh", true);
        Lambda.FunctionError refused = Lambda.directFailure(Json.write(fresh));

        assertEquals(InvalidRequestException.class.getName(), refused.errorType());
        assertEquals("IDEMPOTENCY_KEY_REUSED", refused.error().path("type").asText());
        assertEquals(1, ApiStubs.calls().size(), "neither replayed as the kept answer nor paid again");
    }

    @Test
    void aReplayIsWordedInTheLanguageOfTheRequestThatRepeatsTheKey() {
        ApiStubs.answer(ApiStubs.result("0"));
        String key = key();
        ObjectNode chinese = (ObjectNode) Json.parseObject(keyed(key, NAME, MOBILE)).orElseThrow();
        chinese.put("language", "zh");

        JsonNode first = Lambda.direct(Json.write(chinese));
        JsonNode again = Lambda.direct(keyed(key, NAME, MOBILE));

        assertEquals("验证结果一致", first.path("description").asText());
        assertTrue(again.path("replayed").asBoolean());
        assertEquals("Verification result is consistent", again.path("description").asText());
        assertEquals("China Mobile", again.path("carrier").asText());
        assertEquals(first.path("upstream_trace_id"), again.path("upstream_trace_id"), "the same answer");
        assertEquals(1, ApiStubs.calls().size());
    }

    /**
     * A key is the caller's own when API Gateway names the caller: another caller's use of the same key neither
     * replays the first caller's answer nor is refused as a reuse; the same role in another session is the same caller.
     */
    @Test
    void keysAreScopedToTheCallerApiGatewayNames() {
        ApiStubs.answer(ApiStubs.result("0"));
        Map<String, String> header = Map.of("idempotency-key", key());
        String alice = "arn:aws:sts::111122223333:assumed-role/orders/task-1";
        String aliceLater = "arn:aws:sts::111122223333:assumed-role/orders/task-2";
        String bob = "arn:aws:iam::111122223333:user/bob";

        Lambda.HttpReply first = Lambda.http(Events.signedBy(alice, Events.httpV2("POST", "/verifications",
                Events.body(NAME, MOBILE), header)));
        Lambda.HttpReply other = Lambda.http(Events.signedBy(bob, Events.httpV2("POST", "/verifications",
                Events.body(NAME, "13912345671"), header)));
        Lambda.HttpReply again = Lambda.http(Events.signedBy(aliceLater, Events.httpV2("POST", "/verifications",
                Events.body(NAME, MOBILE), header)));

        assertEquals(200, first.statusCode());
        assertEquals(200, other.statusCode(), "bob's key is his own: " + other.body());
        assertFalse(other.body().path("replayed").asBoolean());
        assertTrue(again.body().path("replayed").asBoolean(), "the same role, another session: the same caller");
        assertEquals(2, ApiStubs.calls().size());
    }

}
