package cloud.phonematch.verify.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.phonematch.verify.aws.AwsErrorCode;
import cloud.phonematch.verify.aws.AwsJsonClient;
import cloud.phonematch.verify.aws.SignedJsonRequest;
import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.records.DynamoDbRecordStore;
import cloud.phonematch.verify.support.FaultyDynamoDb.Call;
import cloud.phonematch.verify.support.FaultyDynamoDb.Fault;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * The faulty DynamoDB in front of the real engine ({@link LocalDynamoDb}): each fault reaches the engine or not as
 * it says (the table read from the engine directly) and gives the client what it says, through the function's own
 * AWS client and through a plain {@link HttpClient} where the exact bytes or the broken connection matter. A Quarkus
 * test: the function's AWS client is a Quarkus REST client.
 */
@QuarkusTest
@ExtendWith(LocalDynamoDb.class)
class FaultyDynamoDbTest {
    private static final String TABLE = "faulty-" + UUID.randomUUID();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final AwsBasicCredentials CREDENTIALS = AwsBasicCredentials.create("AKIDLOCALTEST",
            "local-test-secret");
    private static HttpClient http;

    private FaultyDynamoDb proxy;
    private AwsJsonClient client;

    @BeforeAll
    static void createTable() {
        LocalDynamoDb.createTable(TABLE);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    @AfterAll
    static void closeHttp() throws InterruptedException {
        http.shutdownNow();
        http.awaitTermination(TIMEOUT);
    }

    @BeforeEach
    void startProxy() {
        proxy = FaultyDynamoDb.start();
        client = proxy.client(TIMEOUT);
    }

    @AfterEach
    void closeProxy() {
        client.close();
        proxy.close();
    }

    @Test
    void aPassedRequestGetsTheEnginesReplyByteForByte() throws Exception {
        String key = freshKey();
        assertEquals(200, client.call("PutItem", put(key, 7), TIMEOUT).status());

        HttpResponse<byte[]> viaProxy = raw(proxy.endpoint(), "GetItem", get(key));
        HttpResponse<byte[]> direct = raw(proxy.engine(), "GetItem", get(key));

        assertEquals(200, viaProxy.statusCode());
        assertArrayEquals(direct.body(), viaProxy.body());
        assertEquals("7", Json.parseObject(text(viaProxy)).orElseThrow().path("Item").path("n").path("N").asText());
        assertEquals(direct.headers().firstValue("x-amz-crc32"), viaProxy.headers().firstValue("x-amz-crc32"));
        assertEquals(direct.headers().firstValue("Content-Type"), viaProxy.headers().firstValue("Content-Type"));
        assertEquals(List.of(
                new Call("PutItem", Fault.PASS, true, 200, text(put(key, 7)), 200, "{}"),
                new Call("GetItem", Fault.PASS, true, 200, text(get(key)), 200, text(viaProxy))), proxy.journal());
    }

    @Test
    void applyThen500MakesTheWriteAndAnswersInternalServerError() {
        String key = freshKey();
        proxy.inject("PutItem", Fault.APPLY_THEN_500);

        AwsJsonClient.Reply reply = client.call("PutItem", put(key, 1), TIMEOUT);

        assertEquals(500, reply.status());
        assertEquals(FaultyDynamoDb.INTERNAL_SERVER_ERROR, reply.body());
        assertEquals("InternalServerError", code(reply));
        assertEquals("1", proxy.scan(TABLE).get(key).path("n").path("N").asText(), "the engine made the write");
        assertEquals(List.of(new Call("PutItem", Fault.APPLY_THEN_500, true, 500, text(put(key, 1)), 200, "{}")),
                proxy.journal());
    }

    @Test
    void refuse500AnswersTheSameErrorAndMakesNoWrite() {
        String key = freshKey();
        proxy.inject("PutItem", Fault.REFUSE_500);

        AwsJsonClient.Reply reply = client.call("PutItem", put(key, 1), TIMEOUT);

        assertEquals(500, reply.status());
        assertEquals(FaultyDynamoDb.INTERNAL_SERVER_ERROR, reply.body());
        assertFalse(proxy.scan(TABLE).containsKey(key), "the engine never saw the write");
        assertEquals(List.of(new Call("PutItem", Fault.REFUSE_500, false, 500, text(put(key, 1)),
                FaultyDynamoDb.NO_STATUS, null)), proxy.journal());
    }

    @Test
    void applyThenEmpty200MakesTheWriteAndAnswersNothing() throws Exception {
        String key = freshKey();
        proxy.inject("PutItem", Fault.APPLY_THEN_EMPTY_200);

        HttpResponse<byte[]> reply = raw(proxy.endpoint(), "PutItem", put(key, 1));

        assertEquals(200, reply.statusCode());
        assertEquals(0, reply.body().length);
        assertTrue(proxy.scan(TABLE).containsKey(key), "the engine made the write");
        assertEquals(1, proxy.forwarded("PutItem"));
        assertEquals(200, proxy.journal().get(0).engineStatus());
    }

    @Test
    void applyThenGarbage200MakesTheWriteAndAnswersAPageThatIsNotJson() {
        String key = freshKey();
        proxy.inject("PutItem", Fault.APPLY_THEN_GARBAGE_200);

        AwsJsonClient.Reply reply = client.call("PutItem", put(key, 1), TIMEOUT);

        assertEquals(200, reply.status());
        assertEquals(FaultyDynamoDb.GARBAGE, reply.body());
        assertEquals(Optional.empty(), Json.parseObject(reply.body()));
        assertTrue(proxy.scan(TABLE).containsKey(key), "the engine made the write");
        assertEquals(Fault.APPLY_THEN_GARBAGE_200, proxy.journal().get(0).fault());
        assertTrue(proxy.journal().get(0).forwarded());
    }

    @Test
    void empty200NotAppliedLeavesTheTableAsItWas() {
        String key = freshKey();
        assertEquals(200, client.call("PutItem", put(key, 1), TIMEOUT).status());
        Map<String, JsonNode> before = proxy.scan(TABLE);
        proxy.inject("UpdateItem", Fault.EMPTY_200_NOT_APPLIED);

        AwsJsonClient.Reply reply = client.call("UpdateItem", increment(key), TIMEOUT);

        assertEquals(200, reply.status());
        assertTrue(reply.body() == null || reply.body().isEmpty(), "no body: " + reply.body());
        assertEquals(before, proxy.scan(TABLE), "the increment was never made");
        assertEquals(List.of(new Call("UpdateItem", Fault.EMPTY_200_NOT_APPLIED, false, 200, text(increment(key)),
                FaultyDynamoDb.NO_STATUS, null)), proxy.journal("UpdateItem"));

        assertEquals(200, client.call("UpdateItem", increment(key), TIMEOUT).status());
        assertEquals("2", proxy.scan(TABLE).get(key).path("n").path("N").asText(), "the next one passes and is made");
    }

    @Test
    void throttleRefusesWithAThrottlingExceptionTheClientMayRetry() {
        String key = freshKey();
        proxy.inject("PutItem", Fault.THROTTLE);

        AwsJsonClient.Reply reply = client.call("PutItem", put(key, 1), TIMEOUT);

        assertEquals(400, reply.status());
        assertEquals(FaultyDynamoDb.THROTTLING, reply.body());
        assertEquals("ThrottlingException", code(reply));
        assertTrue(AwsErrorCode.busy(reply.status(), code(reply)));
        assertFalse(proxy.scan(TABLE).containsKey(key));
        assertEquals(0, proxy.forwarded("PutItem"));
    }

    @Test
    void applyThenNoReplyMakesTheWriteAndBreaksTheConnection() {
        String first = freshKey();
        String second = freshKey();
        proxy.inject("PutItem", Fault.APPLY_THEN_NO_REPLY, Fault.APPLY_THEN_NO_REPLY);

        assertThrows(IOException.class, () -> raw(proxy.endpoint(), "PutItem", put(first, 1)));
        AwsJsonClient.NoReply noReply = assertThrows(AwsJsonClient.NoReply.class,
                () -> client.call("PutItem", put(second, 2), TIMEOUT));

        assertTrue(noReply.mayHaveArrived(), "the connection was made, so the write may have been");
        Map<String, JsonNode> items = proxy.scan(TABLE);
        assertTrue(items.containsKey(first), "the engine made the first write");
        assertTrue(items.containsKey(second), "the engine made the second write");
        assertEquals(List.of(
                new Call("PutItem", Fault.APPLY_THEN_NO_REPLY, true, FaultyDynamoDb.NO_STATUS, text(put(first, 1)),
                        200, "{}"),
                new Call("PutItem", Fault.APPLY_THEN_NO_REPLY, true, FaultyDynamoDb.NO_STATUS, text(put(second, 2)),
                        200, "{}")), proxy.journal(), "each was sent once: neither client tried again");
    }

    @Test
    void faultsAreMetInTurnByTheirOperationOnly() {
        String key = freshKey();
        proxy.inject("PutItem", Fault.THROTTLE, Fault.PASS, Fault.REFUSE_500);
        assertEquals(3, proxy.pending("PutItem"));

        assertEquals(200, client.call("GetItem", get(key), TIMEOUT).status(), "another operation passes");
        assertEquals(400, client.call("PutItem", put(key, 1), TIMEOUT).status());
        assertEquals(200, client.call("PutItem", put(key, 2), TIMEOUT).status());
        assertEquals(500, client.call("PutItem", put(key, 3), TIMEOUT).status());
        assertEquals(200, client.call("PutItem", put(key, 4), TIMEOUT).status(), "none left: passes");

        assertEquals(0, proxy.pending("PutItem"));
        assertEquals(List.of(Fault.PASS, Fault.THROTTLE, Fault.PASS, Fault.REFUSE_500, Fault.PASS),
                proxy.journal().stream().map(Call::fault).toList());
        assertEquals(4, proxy.count("PutItem"));
        assertEquals(2, proxy.forwarded("PutItem"));
        assertEquals(1, proxy.count("GetItem"));
        assertEquals(0, proxy.count("DeleteItem"));
        assertEquals("4", proxy.scan(TABLE).get(key).path("n").path("N").asText());
    }

    @Test
    void aStandingFaultMeetsEveryRequestAfterAnyQueuedOneUntilCleared() {
        String key = freshKey();
        proxy.injectAll(Fault.REFUSE_500);
        proxy.inject("PutItem", Fault.THROTTLE);

        assertEquals(400, client.call("PutItem", put(key, 1), TIMEOUT).status(), "the queued fault first");
        assertEquals(500, client.call("PutItem", put(key, 2), TIMEOUT).status());
        assertEquals(500, client.call("GetItem", get(key), TIMEOUT).status());
        assertEquals(500, client.call("DeleteItem", delete(key), TIMEOUT).status());
        proxy.clear();
        assertEquals(200, client.call("PutItem", put(key, 3), TIMEOUT).status());

        assertEquals(List.of(Fault.THROTTLE, Fault.REFUSE_500, Fault.REFUSE_500, Fault.REFUSE_500, Fault.PASS),
                proxy.journal().stream().map(Call::fault).toList());
        assertEquals("3", proxy.scan(TABLE).get(key).path("n").path("N").asText());
    }

    @Test
    void concurrentRequestsFromSeveralClientsAllPass() throws Exception {
        List<String> keys = IntStream.range(0, 40).mapToObj(i -> freshKey()).toList();

        List<Integer> statuses = fromFourContainers(keys);

        assertEquals(List.of(200), statuses.stream().distinct().toList(), "statuses: " + statuses);
        assertTrue(proxy.scan(TABLE).keySet().containsAll(keys));
        assertEquals(40, proxy.count("PutItem"));
        assertEquals(40, proxy.forwarded("PutItem"));
        assertEquals(keys.stream().map(key -> text(put(key, 1))).collect(Collectors.toSet()),
                proxy.journal().stream().map(Call::request).collect(Collectors.toSet()), "each request once");
    }

    @Test
    void queuedFaultsAreMetOnceEachUnderConcurrentRequests() throws Exception {
        List<String> keys = IntStream.range(0, 40).mapToObj(i -> freshKey()).toList();
        proxy.inject("PutItem", Fault.THROTTLE, Fault.THROTTLE, Fault.THROTTLE, Fault.THROTTLE, Fault.THROTTLE);

        List<Integer> statuses = fromFourContainers(keys);

        assertEquals(5, statuses.stream().filter(status -> status == 400).count(), "statuses: " + statuses);
        assertEquals(35, statuses.stream().filter(status -> status == 200).count(), "statuses: " + statuses);
        Set<String> refused = proxy.journal().stream().filter(call -> call.fault() == Fault.THROTTLE)
                .map(Call::request).collect(Collectors.toSet());
        assertEquals(5, refused.size());
        Map<String, JsonNode> items = proxy.scan(TABLE);
        for (String key : keys) {
            assertEquals(!refused.contains(text(put(key, 1))), items.containsKey(key), key);
        }
        assertEquals(0, proxy.pending("PutItem"));
    }

    @Test
    void theEngineChecksNoSignatureSoARequestSignedForTheProxyIsApplied() throws Exception {
        String key = freshKey();
        byte[] body = put(key, 1);
        SignedJsonRequest signed = SignedJsonRequest.sign(DynamoDbRecordStore.DYNAMODB, "PutItem",
                URI.create("http://127.0.0.1:1"), FaultyDynamoDb.REGION, CREDENTIALS, body, Clock.systemUTC());
        String wrongSignature = signed.authorization().replaceAll("Signature=[0-9a-f]+", "Signature=" + "0".repeat(64));
        assertFalse(wrongSignature.equals(signed.authorization()));

        HttpResponse<byte[]> reply = http.send(request(proxy.engine(), signed, wrongSignature),
                HttpResponse.BodyHandlers.ofByteArray());

        assertEquals(200, reply.statusCode(), text(reply));
        assertTrue(proxy.scan(TABLE).containsKey(key));
    }

    @Test
    void closeStopsListeningAndEndsItsThreads() throws Exception {
        assertEquals(200, client.call("GetItem", get(freshKey()), TIMEOUT).status());
        String threadName = FaultyDynamoDb.THREAD_PREFIX + proxy.endpoint().getPort() + "-";
        assertTrue(liveThreads(threadName) > 0, "a request was served on the proxy's own threads");

        proxy.close();

        assertThrows(IOException.class, () -> raw(proxy.endpoint(), "GetItem", get(freshKey())));
        assertEquals(0, liveThreads(threadName));
    }

    /** Each key put once, by four clients of the proxy on four threads at once; the statuses in no order. */
    private List<Integer> fromFourContainers(List<String> keys) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<AwsJsonClient> containers = IntStream.range(0, 4).mapToObj(i -> proxy.client(TIMEOUT)).toList();
        try {
            List<Future<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                AwsJsonClient container = containers.get(i % containers.size());
                String key = keys.get(i);
                calls.add(threads.submit(() -> container.call("PutItem", put(key, 1), TIMEOUT).status()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> call : calls) {
                statuses.add(call.get(30, TimeUnit.SECONDS));
            }
            return statuses;
        } finally {
            threads.shutdownNow();
            containers.forEach(AwsJsonClient::close);
        }
    }

    private static long liveThreads(String namePrefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith(namePrefix)).count();
    }

    /** One signed request sent with a plain HTTP client, which reports a broken connection as an IOException. */
    private static HttpResponse<byte[]> raw(URI endpoint, String operation, byte[] body)
            throws IOException, InterruptedException {
        SignedJsonRequest signed = SignedJsonRequest.sign(DynamoDbRecordStore.DYNAMODB, operation, endpoint,
                FaultyDynamoDb.REGION, CREDENTIALS, body, Clock.systemUTC());
        return http.send(request(endpoint, signed, signed.authorization()), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpRequest request(URI endpoint, SignedJsonRequest signed, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve("/"))
                .timeout(TIMEOUT)
                .header("Content-Type", signed.contentType())
                .header("X-Amz-Target", signed.target())
                .header("X-Amz-Date", signed.date())
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofByteArray(signed.body()));
        if (signed.contentSha256() != null) {
            request.header("x-amz-content-sha256", signed.contentSha256());
        }
        return request.build();
    }

    private static byte[] put(String key, int n) {
        ObjectNode request = Json.object().put("TableName", TABLE);
        ObjectNode item = request.putObject("Item");
        item.putObject("pk").put("S", key);
        item.putObject("n").put("N", Integer.toString(n));
        return Json.bytes(request);
    }

    private static byte[] get(String key) {
        ObjectNode request = Json.object().put("TableName", TABLE).put("ConsistentRead", true);
        request.putObject("Key").putObject("pk").put("S", key);
        return Json.bytes(request);
    }

    private static byte[] delete(String key) {
        ObjectNode request = Json.object().put("TableName", TABLE);
        request.putObject("Key").putObject("pk").put("S", key);
        return Json.bytes(request);
    }

    private static byte[] increment(String key) {
        ObjectNode request = Json.object().put("TableName", TABLE).put("UpdateExpression", "ADD n :one");
        request.putObject("Key").putObject("pk").put("S", key);
        request.putObject("ExpressionAttributeValues").putObject(":one").put("N", "1");
        return Json.bytes(request);
    }

    private static String code(AwsJsonClient.Reply reply) {
        return AwsErrorCode.of(reply.errorType(), Json.parseObject(reply.body()).orElse(null));
    }

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    private static String text(HttpResponse<byte[]> reply) {
        return text(reply.body());
    }

    private static String freshKey() {
        return "key-" + UUID.randomUUID();
    }
}
