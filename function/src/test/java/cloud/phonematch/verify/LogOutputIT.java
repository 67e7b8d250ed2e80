package cloud.phonematch.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.support.CapturedOutput;

/**
 * The shape of what the function writes, over every scenario of the suite (runs after it, like the privacy
 * gate): every log line is JSON; every invocation has exactly one summary line with the documented fields
 * and exactly one EMF object in CloudWatch's documented structure.
 */
class LogOutputIT {
    /**
     * A line of the function's own code in the plain-text console format, i.e. one that escaped JSON
     * formatting. (Build-time lines of the test harness — JUnit's launcher, Quarkus's dev services starting
     * the mock event server — are printed before the runtime's formatter exists and are not the function's.)
     */
    private static final Pattern PLAIN_LOG = Pattern.compile(
            "^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},\\d{3} +[A-Z]+ +\\[(cloud\\.phonematch|clo\\.pho)");
    private static final List<String> ALWAYS = List.of("aws_request_id", "correlation_id", "source", "billable",
            "attempts", "upstream_ms", "duration_ms", "cold_start");
    private static final List<String> EMF_METRICS = List.of("Verifications", "Billable", "Errors", "OutcomeUnknown",
            "Replayed", "Reused", "ColdStart", "Attempts", "UpstreamLatency");

    @Test
    void everyLineIsJsonWithOneSummaryAndOneEmfObjectPerInvocation() throws Exception {
        Map<String, Integer> summaries = new HashMap<>();
        Map<String, Integer> emf = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (CapturedOutput.Line line : CapturedOutput.lines()) {
            String text = line.text();
            if (PLAIN_LOG.matcher(text).find()) {
                problems.add("not JSON: " + text);
                continue;
            }
            if (!text.startsWith("{")) {
                continue; // the JVM's and the build tools' own prints, not the function's
            }
            JsonNode node = Json.MAPPER.readTree(text);
            if (node.has("_aws")) {
                checkEmf(node, problems);
                emf.merge(node.path("aws_request_id").asText(), 1, Integer::sum);
            } else if ("cloud.phonematch.verify.summary".equals(node.path("loggerName").asText())) {
                JsonNode mdc = node.path("mdc");
                assertEquals("INFO", node.path("level").asText());
                for (String noise : List.of("sequence", "loggerClassName", "threadId", "ndc", "hostName", "processName",
                        "processId")) {
                    assertFalse(node.has(noise), noise + " is left out of every line: " + node);
                }
                for (String field : ALWAYS) {
                    if (!mdc.hasNonNull(field)) {
                        problems.add("summary without " + field + ": " + text);
                    }
                }
                if (mdc.has("status") == mdc.has("error.type")) {
                    problems.add("summary needs exactly one of status / error.type: " + text);
                }
                if (mdc.has("status") && !mdc.has("result_code")) {
                    problems.add("answered summary without result_code: " + text);
                }
                summaries.merge(mdc.path("aws_request_id").asText(), 1, Integer::sum);
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " problems:\n" + String.join("\n",
                problems.subList(0, Math.min(10, problems.size()))));
        assertTrue(summaries.size() > 50, "summaries found: " + summaries.size());
        summaries.forEach((id, n) -> assertEquals(1, n, "summary lines for invocation " + id));
        emf.forEach((id, n) -> assertEquals(1, n, "EMF objects for invocation " + id));
        assertEquals(summaries.keySet(), emf.keySet(), "one EMF object for each summarized invocation");
    }

    private static void checkEmf(JsonNode node, List<String> problems) {
        JsonNode aws = node.path("_aws");
        if (!aws.path("Timestamp").isIntegralNumber()) {
            problems.add("EMF without integer _aws.Timestamp: " + node);
        }
        JsonNode directives = aws.path("CloudWatchMetrics");
        if (!directives.isArray() || directives.isEmpty()) {
            problems.add("EMF without CloudWatchMetrics: " + node);
            return;
        }
        for (JsonNode d : directives) {
            if (!d.path("Namespace").isTextual() || d.path("Namespace").asText().isEmpty()) {
                problems.add("EMF directive without Namespace: " + node);
            }
            for (JsonNode set : d.path("Dimensions")) {
                for (JsonNode dim : set) {
                    if (!node.path(dim.asText()).isTextual()) {
                        problems.add("EMF dimension " + dim + " is not a top-level string: " + node);
                    }
                }
            }
            List<String> names = new ArrayList<>();
            for (JsonNode m : d.path("Metrics")) {
                names.add(m.path("Name").asText());
                if (!node.path(m.path("Name").asText()).isNumber()) {
                    problems.add("EMF metric " + m.path("Name") + " is not a top-level number: " + node);
                }
            }
            if (!names.equals(EMF_METRICS)) {
                problems.add("EMF metrics " + names + " != " + EMF_METRICS);
            }
        }
    }
}
