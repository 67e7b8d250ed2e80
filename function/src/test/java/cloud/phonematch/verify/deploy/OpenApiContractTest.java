package cloud.phonematch.verify.deploy;

import static cloud.phonematch.verify.support.TestPeople.MOBILE;
import static cloud.phonematch.verify.support.TestPeople.NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.localgateway.GatewayOwnAnswers;
import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.output.FailureJson;
import cloud.phonematch.verify.output.Outcome;
import cloud.phonematch.verify.output.ResultCode;
import cloud.phonematch.verify.output.VerificationStatus;
import cloud.phonematch.verify.support.Events;
import cloud.phonematch.verify.support.OpenApiContract;
import cloud.phonematch.verify.support.OpenApiDocument;

/**
 * The contract every HTTP exchange of the suite passes through refuses the exchanges openapi.yaml does not describe:
 * each case here is one way an answer or a request could drift from the description.
 */
class OpenApiContractTest {
    private static final OpenApiDocument DOC = OpenApiDocument.shared();
    private static final Map<String, String> JSON = Map.of("content-type", "application/json");
    private static final String BODY = Events.body(NAME, MOBILE);

    @Test
    void aDescribedExchangePassesAndIsCounted() {
        JsonNode event = parse(Events.httpV2("POST", "/verifications", BODY, JSON));
        int before = OpenApiContract.exchangesChecked();

        OpenApiContract.requireValid(event, reply(200, outcome(), "X-Request-Id", "corr-1"));

        assertEquals(before + 1, OpenApiContract.exchangesChecked());
        AssertionError refused = assertThrows(AssertionError.class,
                () -> OpenApiContract.requireValid(event, reply(418, outcome(), "X-Request-Id", "corr-1")));
        assertTrue(refused.getMessage().contains("status 418 is not declared"), refused.getMessage());
        assertTrue(!refused.getMessage().contains(NAME) && !refused.getMessage().contains(MOBILE),
                "the request body is not quoted");
        assertEquals(before + 1, OpenApiContract.exchangesChecked(), "a refused exchange is not counted");
    }

    @Test
    void responsesMustCarryTheirDeclaredHeadersWithValidValuesAndNoOthers() {
        String post = Events.httpV2("POST", "/verifications", BODY, JSON);
        JsonNode inProgress = failure(Failure.of(ErrorType.IN_PROGRESS, "m").withRetryAfter(5)
                .withCalls(Failure.Calls.NONE));

        assertProblem(post, reply(200, outcome()), "required header X-Request-Id is missing");
        assertProblem(post, reply(200, outcome(), "X-Request-Id", "has space"), "header X-Request-Id");
        assertProblem(post, reply(409, inProgress, "X-Request-Id", "c"), "required header Retry-After is missing");
        assertProblem(post, reply(409, inProgress, "X-Request-Id", "c", "Retry-After", "soon"), "header Retry-After");
        assertProblem(post, reply(200, outcome(), "X-Request-Id", "c", "X-Debug", "1"),
                "header X-Debug is not declared");
        assertProblem(post, reply(503, failure(Failure.of(ErrorType.QUOTA_EXHAUSTED, "m")), "X-Request-Id", "c",
                "Retry-After", "5"), "header Retry-After is not declared");
        String get = Events.httpV1("GET", "/verifications", null, JSON);
        JsonNode methodNotAllowed = failure(Failure.of(ErrorType.METHOD_NOT_ALLOWED, "m"));
        assertProblem(get, reply(405, methodNotAllowed, "X-Request-Id", "c"), "required header Allow is missing");
        assertProblem(get, reply(405, methodNotAllowed, "X-Request-Id", "c", "Allow", "GET"), "header Allow");
        assertEquals(List.of(), problems(get, reply(405, methodNotAllowed, "X-Request-Id", "c", "Allow", "POST")));
    }

    @Test
    void bodiesMustMatchTheSchemaDeclaredForTheirStatusAndMediaType() {
        String post = Events.httpV2("POST", "/verifications", BODY, JSON);
        Failure possiblyCharged = Failure.of(ErrorType.UPSTREAM_UNAVAILABLE, "m").maybeCharged()
                .withCalls(new Failure.Calls(1, 1));

        assertProblem(post, reply(503, failure(possiblyCharged), "X-Request-Id", "c"), "503: body");
        assertEquals(List.of(), problems(post, reply(502, failure(possiblyCharged), "X-Request-Id", "c")));
        assertProblem(post, reply(409, failure(Failure.of(ErrorType.RATE_LIMITED, "m").withRetryAfter(5)
                .withCalls(new Failure.Calls(1, 0))), "X-Request-Id", "c", "Retry-After", "5"), "409: body");
        assertProblem(post, reply(502, failure(Failure.of(ErrorType.ENGINE_ERROR, "m")), "X-Request-Id", "c"),
                "502: body");
        assertProblem(post, reply(200, failure(Failure.of(ErrorType.CONFIGURATION, "m")), "X-Request-Id", "c"),
                "200: body");
        ObjectNode plainText = reply(200, outcome(), "X-Request-Id", "c");
        ((ObjectNode) plainText.get("headers")).put("Content-Type", "text/plain");
        assertProblem(post, plainText, "Content-Type text/plain is not one of [application/json]");
    }

    @Test
    void theDescriptionAndTheFunctionMustAcceptTheSameRequests() {
        JsonNode ok = reply(200, outcome(), "X-Request-Id", "c");
        JsonNode invalid = reply(400, failure(Failure.of(ErrorType.INVALID_REQUEST, "m")), "X-Request-Id", "c");
        String french = "{\"name\":\"" + NAME + "\",\"mobile\":\"" + MOBILE + "\",\"language\":\"fr\"}";

        assertProblem(Events.httpV2("POST", "/verifications", french, JSON), ok, "does not match the description");
        assertProblem(Events.httpV2("POST", "/verifications", "not json", JSON), ok, "does not match the description");
        assertProblem(Events.httpV2("POST", "/verifications", BODY, Map.of("idempotency-key", "has space")), ok,
                "header Idempotency-Key");
        assertEquals(List.of(), problems(Events.httpV2("POST", "/verifications", french, JSON), invalid));

        assertProblem(Events.httpV2("POST", "/verifications", BODY, JSON), invalid,
                "matches the description, yet was refused with 400");
        String keyed = "{\"name\":\"" + NAME + "\",\"mobile\":\"" + MOBILE + "\",\"idempotency_key\":\"one\"}";
        assertEquals(List.of(), problems(Events.httpV2("POST", "/verifications", keyed,
                Map.of("idempotency-key", "two")), invalid), "the keys disagree: the rule in words");
        String nulls = "{\"name\":\"" + NAME + "\",\"mobile\":\"" + MOBILE + "\",\"language\":null,\"fresh\":null,"
                + "\"extra\":{\"a\":1}}";
        assertEquals(List.of(), problems(Events.httpV2("POST", "/verifications", nulls, JSON), ok));
    }

    @Test
    void headersThatStandForBodyFieldsFollowTheFieldsRulesAndAreGivenOnce() {
        JsonNode ok = reply(200, outcome(), "X-Request-Id", "c");
        JsonNode invalid = reply(400, failure(Failure.of(ErrorType.INVALID_REQUEST, "m")), "X-Request-Id", "c");
        String badRequestId = Events.httpV2("POST", "/verifications", BODY, Map.of("x-request-id", "has space"));
        String keyTwice = Events.withRepeatedHeader(Events.httpV1("POST", "/verifications", BODY, JSON),
                "Idempotency-Key", List.of("one", "two"));

        assertProblem(badRequestId, ok, "header X-Request-Id");
        assertEquals(List.of(), problems(badRequestId, invalid));
        assertProblem(keyTwice, ok, "header Idempotency-Key");
        assertEquals(List.of(), problems(keyTwice, invalid));
        assertEquals(List.of(), problems(Events.httpV2("GET", "/verifications", null, Map.of("x-request-id", "a b")),
                reply(405, failure(Failure.of(ErrorType.METHOD_NOT_ALLOWED, "m")), "X-Request-Id", "c", "Allow",
                        "POST")), "a method refused for itself reads nothing of the request");
    }

    @Test
    void otherPathsAre404AndUndescribedMethodsAreRefused() {
        JsonNode notFound = failure(Failure.of(ErrorType.NOT_FOUND, "m"));

        assertEquals(List.of(), problems(Events.httpV2("POST", "/other", BODY, JSON),
                reply(404, notFound, "X-Request-Id", "c")));
        assertProblem(Events.httpV2("POST", "/other", BODY, JSON), reply(200, outcome(), "X-Request-Id", "c"),
                "must be answered 404");
        assertProblem(Events.httpV2("TRACE", "/verifications", null, JSON), reply(405,
                failure(Failure.of(ErrorType.METHOD_NOT_ALLOWED, "m")), "X-Request-Id", "c", "Allow", "POST"),
                "no operation TRACE /verifications");
        assertEquals(List.of(), problems(Events.httpV1("POST", "/verifications/", BODY, JSON),
                reply(200, outcome(), "X-Request-Id", "c")), "a trailing slash is the same route");
    }

    /**
     * API Gateway's own answers, as the local HTTP API gives them without the function (throttling, the payload
     * quota, a function that failed), hold to the description for every method of the path that can get them; and
     * the description would refuse such a body where the gateway cannot give one.
     */
    @Test
    void apiGatewaysOwnAnswersFromTheLocalHttpApiAreDescribed() {
        List<GatewayOwnAnswers.Answer> answers = GatewayOwnAnswers.all();
        assertEquals(List.of(429, 413, 500, 500), answers.stream().map(GatewayOwnAnswers.Answer::status).toList());
        for (GatewayOwnAnswers.Answer answer : answers) {
            assertTrue(answer.proxy().path("body").asText().startsWith("{\"message\":"), answer.why());
            for (String method : answer.methods()) {
                String event = method.equals("POST") ? Events.httpV2("POST", "/verifications", BODY, JSON)
                        : Events.httpV2(method, "/verifications", null, Map.of());
                assertEquals(List.of(), problems(event, answer.proxy()), answer.why() + ", " + method);
            }
        }
        JsonNode throttled = answers.get(0).proxy();
        ObjectNode notFound = throttled.deepCopy();
        notFound.put("statusCode", 404);
        assertProblem(Events.httpV2("GET", "/elsewhere", null, Map.of()), notFound, "404: body");
        ObjectNode asIfOk = throttled.deepCopy();
        asIfOk.put("statusCode", 200);
        assertProblem(Events.httpV2("POST", "/verifications", BODY, JSON), asIfOk, "200: body");
    }

    // ------------------------------------------------------------------ helpers

    private static void assertProblem(String event, JsonNode reply, String expected) {
        List<String> problems = problems(event, reply);
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), "expected '" + expected + "' in " + problems);
    }

    private static List<String> problems(String event, JsonNode reply) {
        return OpenApiContract.problems(DOC, parse(event), reply);
    }

    /** A proxy response as the function writes it: JSON body, Content-Type, and the given headers. */
    private static ObjectNode reply(int status, JsonNode body, String... headerPairs) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json; charset=utf-8");
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.put(headerPairs[i], headerPairs[i + 1]);
        }
        ObjectNode reply = Json.object();
        reply.put("statusCode", status);
        ObjectNode h = reply.putObject("headers");
        headers.forEach(h::put);
        reply.put("body", body.toString());
        reply.put("isBase64Encoded", false);
        return reply;
    }

    private static JsonNode outcome() {
        return new Outcome(VerificationStatus.CONSISTENT, ResultCode.CONSISTENT, "ok", "139****5670", "China Mobile",
                Outcome.AnsweredBy.API, 1, "req-1", "c", "trace-1", 12, null).toJson();
    }

    private static JsonNode failure(Failure failure) {
        return FailureJson.toJson(failure, "req-1");
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
