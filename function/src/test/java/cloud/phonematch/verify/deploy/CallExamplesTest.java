package cloud.phonematch.verify.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Lambda;
import cloud.phonematch.verify.support.ProjectRoot;
import cloud.phonematch.verify.support.SandboxUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The README's examples of calling the deployed stack, run through the function in the sandbox: the payloads of
 * {@code aws lambda invoke} and {@code aws stepfunctions start-sync-execution}, and the sample batch CSV read the way the
 * batch state machine's Distributed Map reads it (header row, its {@code ItemSelector} evaluated with JSONata).
 */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
@TestProfile(SandboxUpstream.class)
class CallExamplesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path README = ProjectRoot.PATH.resolve("README.md");
    private static final Path SAMPLE_CSV = ProjectRoot.PATH.resolve("examples/verifications.csv");

    @Test
    void theDirectPayloadsOfTheReadmeAreAnsweredAsTheReadmeSays() throws IOException {
        String readme = Files.readString(README);
        List<String> payloads = quoted(readme, "--payload '([^']+)'");
        payloads.addAll(quoted(readme, "start-sync-execution --state-machine-arn \"\\$VERIFY_ONE_ARN\" \\\\\\n\\s*--input '([^']+)'"));
        assertEquals(2, payloads.size(), "aws lambda invoke and the single state machine: " + payloads);
        for (String payload : payloads) {
            JsonNode outcome = Lambda.direct(payload);
            assertEquals("CONSISTENT", outcome.path("status").asText(), payload);
            assertEquals("order-7781", outcome.path("correlation_id").asText());
            assertEquals("139****5670", outcome.path("mobile").asText());
        }
    }

    @Test
    void theBatchExampleStartsWithTheKeyItUploadsTo() throws IOException {
        String readme = Files.readString(README);
        Matcher upload = Pattern.compile("aws s3 cp (\\S+) \"s3://\\$BATCH_INPUT_BUCKET/([^\"]+)\"").matcher(readme);
        assertTrue(upload.find(), "the README uploads the sample CSV");
        assertEquals(ProjectRoot.PATH.resolve(upload.group(1)).normalize(), SAMPLE_CSV.normalize());
        List<String> inputs = quoted(readme, "--state-machine-arn \"\\$VERIFY_BATCH_ARN\" --input '([^']+)'");
        assertEquals(1, inputs.size());
        assertEquals(upload.group(2), JSON.readTree(inputs.get(0)).path("key").asText(),
                "the batch is started with the key the CSV was put under");
    }

    @Test
    void everyRowOfTheSampleCsvIsVerifiedOnceAndARedriveReplaysIt() throws Exception {
        List<Map<String, String>> rows = csvRows(SAMPLE_CSV);
        List<String> expected = List.of("CONSISTENT", "INCONSISTENT", "NO_RECORD", "DAILY_LIMIT_EXCEEDED", "CONSISTENT",
                "INVALID_MOBILE");
        assertEquals(expected.size(), rows.size(), "one expectation per row of " + SAMPLE_CSV);
        String execution = "arn:aws-cn:states:cn-north-1:000000000000:execution:verify-batch:" + UUID.randomUUID();

        for (boolean redrive : List.of(false, true)) {
            for (int index = 0; index < rows.size(); index++) {
                JsonNode outcome = Lambda.direct(Json.write(JSON.valueToTree(rowPayload(rows.get(index), index,
                        execution))));
                String line = "line-" + (index + 2);
                assertEquals(expected.get(index), outcome.path("status").asText(), line);
                assertEquals(line, outcome.path("correlation_id").asText());
                assertFalse(outcome.path("billable").asBoolean(), "the sandbox charges nothing");
                assertFalse(outcome.toString().contains(rows.get(index).get("name")), "no name in a result");
                // The key of the execution and the line: a redrive gets the first answer back, with no new call.
                boolean answeredLocally = expected.get(index).startsWith("INVALID_");
                assertEquals(redrive, outcome.path("replayed").asBoolean(), line + (redrive ? " redriven" : ""));
                assertFalse(outcome.path("checked_upstream").asBoolean(), line + ": the sandbox calls no API");
                assertEquals(0, outcome.path("attempts").asInt(), line);
                assertEquals(answeredLocally, outcome.path("hint").isTextual(), line + ": a hint from the pre-check only");
            }
        }
    }

    /** The batch state machine's ItemSelector for one CSV row, as Step Functions evaluates it. */
    static Map<String, Object> rowPayload(Map<String, String> row, int index, String executionId) throws IOException {
        JsonNode selector = JSON.readTree(ProjectRoot.PATH.resolve("statemachine/verify-batch.asl.json").toFile())
                .path("States").path("VerifyRows").path("ItemSelector");
        Map<String, Object> states = Map.of("input", Map.of("key", "batches/verifications.csv"), "context",
                Map.of("Execution", Map.of("Id", executionId), "Map", Map.of("Item", Map.of("Index", index, "Value", row))));
        Map<String, Object> payload = new LinkedHashMap<>();
        selector.fields().forEachRemaining(f -> payload.put(f.getKey(),
                StepFunctionsJsonata.evaluate(f.getValue().asText(), states)));
        return payload;
    }

    /** Rows of a CSV whose first row is the header, as the Distributed Map's CSV reader gives them (all strings). */
    static List<Map<String, String>> csvRows(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        assertEquals("name,mobile", lines.get(0), "the header the batch state machine reads");
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            assertFalse(line.contains("\""), "the sample needs no quoting: " + line);
            String[] cells = line.split(",", -1);
            assertEquals(2, cells.length, line);
            rows.add(Map.of("name", cells[0], "mobile", cells[1]));
        }
        return rows;
    }

    static List<String> quoted(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
