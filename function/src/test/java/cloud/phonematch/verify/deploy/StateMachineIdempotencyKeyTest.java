package cloud.phonematch.verify.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.phonematch.verify.support.ProjectRoot;

/**
 * The idempotency key the shipped state machines send the function, their JSONata read from the shipped files and
 * evaluated as Step Functions does ({@link StepFunctionsJsonata}): never missing, null or empty, and the same for as
 * long as an execution lasts, so that neither pays for a verification twice. The single verification is Express: its
 * key is the same on every Retry and whenever Step Functions runs that execution again, and it has no redrive; the
 * batch is Standard, whose redrive keeps the execution's id and so every row's key.
 */
class StateMachineIdempotencyKeyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Express execution ids: the name the caller gave (or a generated one), then an id of Step Functions' own. */
    private static final String EXECUTION =
            "arn:aws-cn:states:cn-north-1:000000000000:express:verify-one:run-1:3f1c2a9e-7c1d-4d0b-9a57-2b8f6f0c1d11";
    /** A second StartExecution with the same name: Express does not deduplicate names, so another execution. */
    private static final String SAME_NAME_AGAIN =
            "arn:aws-cn:states:cn-north-1:000000000000:express:verify-one:run-1:8d0e5b7a-1f2c-4e3d-b6a4-0c9d8e7f6a52";
    private static final String BATCH_EXECUTION =
            "arn:aws-cn:states:cn-north-1:000000000000:execution:verify-batch:run-1";

    /** The single verification's Verify.Arguments.Payload: what the function is invoked with. */
    private static String payload;

    @BeforeAll
    static void readTheShippedDefinition() throws IOException {
        payload = JSON.readTree(ProjectRoot.PATH.resolve("statemachine/verify-one.asl.json").toFile())
                .at("/States/Verify/Arguments/Payload").asText();
    }

    @Test
    void anInputWithoutAKeyIsSentWithTheKeyOfItsExecution() {
        ObjectNode input = person();

        JsonNode sent = send(input, EXECUTION);

        String key = sent.path("idempotency_key").asText();
        assertTrue(key.matches("sfn-[0-9a-f]{64}"), key);
        assertEquals("sfn-" + sha256Hex(EXECUTION), key);
        assertEquals(input.deepCopy().put("idempotency_key", key), sent, "every other field as the input has it");
    }

    @ParameterizedTest
    @ValueSource(strings = { "null", "\"\"" })
    void aNullOrEmptyKeyIsReplacedByTheKeyOfTheExecution(String key) throws IOException {
        ObjectNode input = person().set("idempotency_key", JSON.readTree(key));

        JsonNode sent = send(input, EXECUTION);

        assertEquals(person().put("idempotency_key", "sfn-" + sha256Hex(EXECUTION)), sent);
    }

    /**
     * A Retry of the task, or Step Functions running the execution again, sends the execution's key; another
     * execution, even one started with the same name, sends another, so a caller that may start the same
     * verification twice brings its own key ({@link #theInputsOwnKeyIsSentAsGiven()}).
     */
    @Test
    void theSameExecutionAlwaysSendsTheSameKeyAndAnotherExecutionAnother() {
        String first = send(person(), EXECUTION).path("idempotency_key").asText();
        String again = send(person(), EXECUTION).path("idempotency_key").asText();
        String other = send(person(), SAME_NAME_AGAIN).path("idempotency_key").asText();

        assertEquals(first, again);
        assertNotEquals(first, other);
        assertEquals("sfn-" + sha256Hex(SAME_NAME_AGAIN), other);
    }

    @Test
    void theInputsOwnKeyIsSentAsGiven() {
        ObjectNode input = person().put("idempotency_key", "order-1");

        assertEquals(input, send(input, EXECUTION));
    }

    /** The function refuses such a key (INVALID_REQUEST): replacing it would hide the caller's mistake. */
    @ParameterizedTest
    @ValueSource(strings = { "42", "{\"id\": \"order-1\"}", "[\"order-1\"]", "false" })
    void aKeyOfAnotherTypeIsSentAsItIs(String key) throws IOException {
        ObjectNode input = person().set("idempotency_key", JSON.readTree(key));

        JsonNode sent = send(input, EXECUTION);

        assertEquals(input, sent);
        assertEquals(JSON.readTree(key), sent.path("idempotency_key"));
    }

    /** The function refuses an input that is not a JSON object; a key added to it would change what it refuses. */
    @ParameterizedTest
    @ValueSource(strings = { "[{\"name\": \"x\", \"mobile\": \"y\"}, {\"name\": \"z\", \"mobile\": \"w\"}]", "\"x\"", "42",
            "null" })
    void anInputThatIsNotAnObjectIsSentAsItIs(String input) throws IOException {
        JsonNode given = JSON.readTree(input);

        assertEquals(given, send(given, EXECUTION));
    }

    @Test
    void everyBatchRowSendsTheKeyOfTheExecutionAndItsLineTheSameOnARedrive() throws IOException {
        Map<String, String> row = Map.of("name", "x", "mobile", "y");

        Object line2 = batchKey(row, 0, BATCH_EXECUTION);
        Object line3 = batchKey(row, 1, BATCH_EXECUTION);
        Object redriven = batchKey(row, 0, BATCH_EXECUTION);
        Object otherRun = batchKey(row, 0, BATCH_EXECUTION.replace("run-1", "run-2"));

        assertEquals("sfn-" + sha256Hex(BATCH_EXECUTION + "#line-2"), line2);
        assertEquals("sfn-" + sha256Hex(BATCH_EXECUTION + "#line-3"), line3);
        assertEquals(line2, redriven);
        assertNotEquals(line2, otherRun);
    }

    /** The selector names the fields it takes from a row: a CSV column cannot bring a key, empty or not. */
    @Test
    void aBatchRowCannotBringAKeyOfItsOwn() throws IOException {
        Map<String, String> row = Map.of("name", "", "mobile", "", "idempotency_key", "");

        assertEquals("sfn-" + sha256Hex(BATCH_EXECUTION + "#line-9"), batchKey(row, 7, BATCH_EXECUTION));
    }

    private static ObjectNode person() {
        return JSON.createObjectNode().put("name", "张三丰").put("mobile", "13912345670").put("language", "zh")
                .put("correlation_id", "order-7781").put("fresh", false);
    }

    /** The payload the single verification invokes the function with, in the execution {@code executionId}. */
    private static JsonNode send(JsonNode input, String executionId) {
        return JSON.valueToTree(StepFunctionsJsonata.evaluate(payload,
                Map.of("input", input, "context", Map.of("Execution", Map.of("Id", executionId)))));
    }

    private static Object batchKey(Map<String, String> row, int index, String executionId) throws IOException {
        return CallExamplesTest.rowPayload(row, index, executionId).get("idempotency_key");
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
