package cloud.phonematch.verify.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.support.ApiStubs;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Fakes;
import cloud.phonematch.verify.support.Lambda;
import cloud.phonematch.verify.support.ProjectRoot;
import cloud.phonematch.verify.support.TestPeople;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every file in events/ (the samples for {@code sam local invoke -e}) sent to the function the way Lambda
 * would, so that none of them can rot. The folder is listed, so a new file is covered as soon as it exists:
 * it fails until it has an expectation below.
 */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
class EventFilesTest {
    static final Path EVENTS = ProjectRoot.PATH.resolve("events");

    /** What each sample must produce, with the API answering "0" (consistent). */
    static final Map<String, Consumer<String>> EXPECTED = Map.of(
            "http-api-v2.json", event -> answersOverHttp(event, "CONSISTENT"),
            "rest-api-v1.json", event -> answersOverHttp(event, "CONSISTENT"),
            "http-api-v2-base64.json", event -> answersOverHttp(event, "CONSISTENT"),
            "direct.json", event -> answersDirectly(event, "CONSISTENT"),
            "step-functions-input.json", event -> answersDirectly(event, "CONSISTENT"),
            "invalid-body.json", event -> refusedOverHttp(event, 400, "INVALID_REQUEST"));

    @BeforeEach
    void reset() {
        Fakes.reset();
        ApiStubs.answer(ApiStubs.result("0"));
    }

    static Stream<String> eventFiles() throws IOException {
        try (Stream<Path> files = Files.list(EVENTS)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventFiles")
    void everySampleEventGetsItsExpectedAnswer(String file) throws IOException {
        Consumer<String> expectation = EXPECTED.get(file);
        assertNotNull(expectation, "events/" + file + " has no expectation in EventFilesTest.EXPECTED");
        String event = Files.readString(EVENTS.resolve(file), StandardCharsets.UTF_8);
        Json.MAPPER.readTree(event); // every sample is JSON, even the one whose body is not
        expectation.accept(event);
    }

    @Test
    void everyExpectationHasItsFile() throws IOException {
        Set<String> files = new TreeSet<>(eventFiles().toList());
        Set<String> stale = new TreeSet<>(EXPECTED.keySet());
        stale.removeAll(files);
        assertTrue(stale.isEmpty(), "expectations without a file in events/: " + stale);
    }

    @Test
    void samplesCarryOnlyTheSuitesFictitiousPeople() throws IOException {
        // TestPeople's values are what the log privacy checks look for, so samples must use exactly those.
        Set<String> names = Set.of(TestPeople.NAME, TestPeople.OTHER_NAME, TestPeople.LATIN_NAME);
        Set<String> mobiles = Set.of(TestPeople.MOBILE, TestPeople.MOBILE_2);
        for (String file : eventFiles().toList()) {
            JsonNode event = Json.MAPPER.readTree(EVENTS.resolve(file).toFile());
            JsonNode request = request(event);
            if (request == null) {
                continue; // the invalid body
            }
            assertTrue(names.contains(request.path("name").asText()), file + ": use a name from TestPeople");
            assertTrue(mobiles.contains(request.path("mobile").asText()), file + ": use a number from TestPeople");
        }
    }

    // ------------------------------------------------------------------ expectations

    static void answersOverHttp(String event, String status) {
        Lambda.HttpReply reply = Lambda.http(event);
        assertEquals(200, reply.statusCode());
        assertEquals(status, reply.body().path("status").asText());
        assertEquals(1, ApiStubs.calls().size(), "one paid call");
        String sentId = requestId(event);
        if (sentId != null) {
            assertEquals(sentId, reply.body().path("correlation_id").asText(), "X-Request-Id becomes correlation_id");
        }
    }

    static void answersDirectly(String event, String status) {
        JsonNode out = Lambda.direct(event);
        assertEquals(status, out.path("status").asText());
        assertEquals(1, ApiStubs.calls().size(), "one paid call");
        JsonNode sent = parse(event);
        if (sent.hasNonNull("correlation_id")) {
            assertEquals(sent.path("correlation_id").asText(), out.path("correlation_id").asText());
        }
        assertFalse(out.toString().contains(sent.path("mobile").asText()), "the answer masks the number");
    }

    static void refusedOverHttp(String event, int httpStatus, String errorType) {
        Lambda.HttpReply reply = Lambda.http(event);
        assertEquals(httpStatus, reply.statusCode());
        assertEquals(errorType, reply.body().path("error").path("type").asText());
        assertEquals(0, ApiStubs.calls().size(), "nothing paid for a refused request");
    }

    // ------------------------------------------------------------------ reading samples

    /** The request object inside a sample: the body of an API Gateway event, or the event itself. */
    static JsonNode request(JsonNode event) {
        if (event.has("requestContext")) {
            String body = event.path("body").asText();
            if (event.path("isBase64Encoded").asBoolean()) {
                body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            }
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                return null;
            }
        }
        return event;
    }

    private static String requestId(String event) {
        JsonNode headers = parse(event).path("headers");
        for (var it = headers.fields(); it.hasNext();) {
            var e = it.next();
            if (e.getKey().equalsIgnoreCase("x-request-id")) {
                return e.getValue().asText();
            }
        }
        return null;
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON", e);
        }
    }
}
