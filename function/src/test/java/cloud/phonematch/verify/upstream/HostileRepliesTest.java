package cloud.phonematch.verify.upstream;

import static cloud.phonematch.verify.support.TestPeople.MOBILE;
import static cloud.phonematch.verify.support.TestPeople.OTHER_NAME;
import static cloud.phonematch.verify.support.TestPeople.TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.support.ApiStubs;
import cloud.phonematch.verify.support.Events;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Fakes;
import cloud.phonematch.verify.support.Lambda;
import cloud.phonematch.verify.support.RecordedLogs;
import cloud.phonematch.verify.support.StdoutRecorder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Replies of an API that echoes the request or sends whatever it likes, driven through the whole function: the
 * request's name, number and token appear nowhere in the API Gateway answer, the direct invocation's error (which the
 * Lambda runtime also prints) or anything the function printed; and a huge trace id does not make a huge line.
 */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
@QuarkusTestResource(value = StdoutRecorder.class, restrictToAnnotatedClass = true)
class HostileRepliesTest {
    /** The request's number as a digit run of its own: longer runs (an account id) hold other numbers. */
    private static final Pattern THE_NUMBER = Pattern.compile("(?<![0-9])" + MOBILE + "(?![0-9])");
    private static final String ECHO = "denied for " + OTHER_NAME + " " + MOBILE + " Bearer " + TOKEN;

    @BeforeEach
    void reset() {
        Fakes.reset();
    }

    /** Each: the API's status and body, and the error type the caller is told. */
    static Stream<Arguments> hostileReplies() {
        return Stream.of(
                Arguments.of(502, "{\"error\":{\"code\":\"" + ECHO + "\"},\"trace_id\":\"" + ECHO + "\"}",
                        "UPSTREAM_UNAVAILABLE"),
                Arguments.of(403, "{\"error\":{\"code\":\"" + TOKEN + "\",\"message\":\"" + ECHO + "\"},\"trace_id\":\""
                        + MOBILE + "\"}", "UPSTREAM_AUTH"),
                Arguments.of(400, "{\"error\":{\"code\":\"x" + MOBILE + "\"},\"trace_id\":\"t:" + TOKEN + "\"}",
                        "UPSTREAM_CONTRACT"),
                Arguments.of(200, "{\"result\":\"" + MOBILE + "\",\"trace_id\":\"" + OTHER_NAME + "\"}",
                        "UPSTREAM_CONTRACT"),
                Arguments.of(200, "{\"result\":\"" + ECHO + "\"}", "UPSTREAM_CONTRACT"),
                Arguments.of(200, "{\"error\":{\"code\":\"" + OTHER_NAME + MOBILE + "\"}}", "UPSTREAM_CONTRACT"),
                Arguments.of(504, "{\"error\":{\"code\":\"timeout\\r\\n" + TOKEN + "\"},\"trace_id\":\""
                        + "z".repeat(100_000) + "\"}", "UPSTREAM_TIMEOUT"),
                Arguments.of(503, "{\"error\":{\"code\":\"" + "u".repeat(65) + "\"},\"trace_id\":\"" + TOKEN + "\"}",
                        "UPSTREAM_UNAVAILABLE"));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("hostileReplies")
    void nothingOfTheRequestComesBackThroughTheFunction(int status, String body, String type) {
        ApiStubs.answer(ApiStubs.json(status, body));
        Lambda.HttpReply http;
        int callsByHttp;
        String direct;
        List<String> printed;
        try (Printed output = Printed.start()) {
            http = Lambda.http(Events.httpV2("POST", "/verifications", Events.body(OTHER_NAME, MOBILE), Map.of()));
            callsByHttp = ApiStubs.calls().size();
            direct = Lambda.send(Events.direct(OTHER_NAME, MOBILE)).asString();
            printed = output.lines();
        }

        assertTrue(callsByHttp >= 1 && ApiStubs.calls().size() > callsByHttp,
                "both invocations reached the API (journal: " + ApiStubs.calls().size() + ")");
        assertEquals(type, http.body().path("error").path("type").asText());
        assertEquals(type, directError(direct).path("type").asText());
        assertFalse(http.body().path("error").has("upstream_code"), "no code of this reply may be passed on");
        assertFalse(http.body().has("upstream_trace_id"));
        assertNothingOfTheRequestIn("the API Gateway answer", http.body().toString());
        assertNothingOfTheRequestIn("the direct invocation's error", direct);
        assertTrue(printed.stream().anyMatch(l -> l.contains("\"cloud.phonematch.verify.summary\"")),
                "the invocations' summary lines are among the printed ones");
        assertTrue(printed.stream().anyMatch(l -> l.contains("\"" + UpstreamText.LOGGER + "\"")),
                "each drop is logged");
        for (String line : printed) {
            assertNothingOfTheRequestIn("a printed line", line);
        }
    }

    @Test
    void aHundredKilobyteTraceIdOnAnAnswerLeavesTheSummaryLineShort() {
        ApiStubs.answer(ApiStubs.json(200, "{\"result\":\"0\",\"trace_id\":\"" + "a".repeat(100_000) + "\"}"));
        JsonNode out;
        List<String> printed;
        try (Printed output = Printed.start()) {
            out = Lambda.direct(Events.direct(OTHER_NAME, MOBILE));
            printed = output.lines();
        }

        assertEquals("CONSISTENT", out.path("status").asText());
        assertFalse(out.path("upstream_trace_id").isTextual(), "dropped");
        List<String> summaries = printed.stream()
                .filter(l -> l.contains("\"cloud.phonematch.verify.summary\"")).toList();
        assertEquals(1, summaries.size());
        String summary = summaries.get(0);
        assertTrue(summary.length() < 2_000, "summary line of " + summary.length() + " characters");
        System.out.println("summary line after a 100 KB trace id: " + summary.length() + " characters");
        List<String> drops = printed.stream().filter(l -> l.contains(UpstreamText.LOGGER))
                .toList();
        assertEquals(1, drops.size());
        assertTrue(drops.get(0).contains("upstream_trace_id: too_long (100000 characters)"), drops.get(0));
        assertTrue(drops.get(0).length() < 1_000, "drop line of " + drops.get(0).length() + " characters");
    }

    private static JsonNode directError(String raw) {
        try {
            return Json.MAPPER.readTree(Json.MAPPER.readTree(raw).path("errorMessage").asText()).path("error");
        } catch (Exception e) {
            throw new AssertionError("the direct invocation did not fail with a JSON error", e);
        }
    }

    /**
     * What the function printed meanwhile: every log message (from any logger) as its logger, level, message and MDC
     * in JSON, the way the console writes it; and every line on stdout (the EMF objects).
     */
    private static final class Printed implements AutoCloseable {
        private final RecordedLogs logs = RecordedLogs.start();
        private final int stdoutBefore = StdoutRecorder.lines().size();

        static Printed start() {
            return new Printed();
        }

        List<String> lines() {
            List<String> lines = new ArrayList<>();
            for (RecordedLogs.Message m : logs.messages()) {
                ObjectNode line = Json.object();
                line.put("loggerName", m.logger()).put("level", m.level().getName()).put("message", m.message());
                m.mdc().forEach(line.putObject("mdc")::put);
                lines.add(Json.write(line));
            }
            List<String> stdout = StdoutRecorder.lines();
            lines.addAll(stdout.subList(stdoutBefore, stdout.size()));
            return lines;
        }

        @Override
        public void close() {
            logs.close();
        }
    }

    /** The message names what leaked, never the line (the privacy gate reads this class's output too). */
    private static void assertNothingOfTheRequestIn(String where, String text) {
        assertFalse(text.contains(OTHER_NAME), where + " holds the name");
        assertFalse(THE_NUMBER.matcher(text).find(), where + " holds the number");
        assertFalse(text.contains(TOKEN), where + " holds the token");
        assertFalse(text.contains("Bearer"), where + " holds an authorization header");
    }
}
