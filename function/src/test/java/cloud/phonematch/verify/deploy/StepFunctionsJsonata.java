package cloud.phonematch.verify.deploy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cloud.phonematch.verify.support.ProjectRoot;

/**
 * Evaluates a state machine's {@code "{% ... %}"} field the way Step Functions does: with the npm package
 * {@code jsonata} at the version Step Functions runs, under Node, with a {@code $states} object and Step Functions'
 * own functions {@code $hash} (a hex digest) and {@code $parse} (JSON text to a value); see
 * {@code src/test/node/step-functions-jsonata.js}. {@code ./mvnw verify} installs the package (npm ci) before the
 * tests run. One Node process serves the whole test run, one request per line: a request costs about 1 ms, where
 * starting Node for each expression would cost some 200 ms.
 */
final class StepFunctionsJsonata {
    private static final Path DIRECTORY = ProjectRoot.MODULE.resolve("src/test/node");
    private static final Path SCRIPT = DIRECTORY.resolve("step-functions-jsonata.js");
    private static final Path INSTALLED = DIRECTORY.resolve("node_modules/jsonata/package.json");
    /** Node's own output (a failure to start, a crash): not the tests' output, which the privacy checks read. */
    private static final Path LOG = ProjectRoot.MODULE.resolve("target/step-functions-jsonata.log");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Process node;
    private static BufferedReader answers;

    private StepFunctionsJsonata() {
    }

    /** In a Catch: the state's input and the error output. */
    static Object evaluate(String field, Object input, Map<String, Object> errorOutput) {
        return evaluate(field, Map.of("input", input, "errorOutput", errorOutput));
    }

    /**
     * @param states {@code $states}: {@code input}, {@code context}, {@code errorOutput}, {@code result} as the field
     *     sees them
     * @return the field's value as Jackson reads JSON into {@code Object} (maps, lists, strings, numbers, booleans,
     *     null)
     * @throws IllegalArgumentException when the field has no value: a JSONata error, or undefined
     */
    static synchronized Object evaluate(String field, Map<String, Object> states) {
        JsonNode answer = ask(Map.of("field", field, "states", states));
        if (answer.has("error")) {
            throw new IllegalArgumentException(answer.path("error").asText());
        }
        return JSON.convertValue(answer.path("value"), Object.class);
    }

    private static JsonNode ask(Map<String, Object> request) {
        if (node == null || !node.isAlive()) {
            start();
        }
        try {
            OutputStream requests = node.getOutputStream();
            requests.write(JSON.writeValueAsBytes(request));
            requests.write('\n');
            requests.flush();
            String line = answers.readLine();
            if (line == null) {
                throw new IllegalStateException("node stopped while evaluating a JSONata field; see " + LOG);
            }
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("node stopped while evaluating a JSONata field; see " + LOG, e);
        }
    }

    private static void start() {
        if (!Files.exists(INSTALLED)) {
            throw new IllegalStateException("the npm package jsonata is not installed in " + DIRECTORY
                    + "/node_modules: run ./mvnw generate-test-resources (npm ci there)");
        }
        try {
            Files.createDirectories(LOG.getParent());
            node = new ProcessBuilder("node", SCRIPT.toString())
                    .redirectError(ProcessBuilder.Redirect.appendTo(LOG.toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("node is missing (" + e.getMessage() + "): the state machines' JSONata"
                    + " is evaluated under Node.js 20 or newer", e);
        }
        answers = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
    }
}
