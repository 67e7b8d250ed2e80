package cloud.phonematch.verify.deploy;

import static cloud.phonematch.verify.deploy.DeploymentFiles.BATCH_STATE_MACHINE;
import static cloud.phonematch.verify.deploy.DeploymentFiles.JSON;
import static cloud.phonematch.verify.deploy.DeploymentFiles.ONE_STATE_MACHINE;
import static cloud.phonematch.verify.deploy.DeploymentFiles.asl;
import static cloud.phonematch.verify.deploy.DeploymentFiles.collect;
import static cloud.phonematch.verify.deploy.DeploymentFiles.functionTasks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.output.FailureJson;
import cloud.phonematch.verify.output.OutcomeUnknownException;
import cloud.phonematch.verify.output.VerificationException;

/**
 * The error names the state machine definitions retry and catch, against the function's exception classes and
 * the charge rule: a failure that may have been charged is never retried, and ends or records its row visibly.
 * Plain JUnit.
 */
@ExtendWith(DeploymentFiles.Loaded.class)
class StateMachineErrorsTest {
    /**
     * Error names after which the API may have charged, so that no Retry may list them: the function's possibly
     * charged failures, and the ones Lambda or Step Functions report when the function died or answered nothing
     * (a timeout, a crash) — it may have been in the middle of a paid call.
     */
    static final Set<String> MAYBE_CHARGED_ERRORS = Set.of(OutcomeUnknownException.class.getName(), "States.ALL",
            "States.TaskFailed", "States.Timeout", "States.HeartbeatTimeout", "States.Runtime", "Lambda.Unknown",
            "Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException");

    /** Error names other than States.* and the function's exception classes that a state machine may name. */
    static final Map<String, String> LAMBDA_SERVICE_ERRORS = Map.of(
            "Lambda.TooManyRequestsException",
            "Lambda refused the invocation (ReservedConcurrency reached): the function never ran, so a retry "
                    + "cannot pay for a verification twice");

    /** The Step Functions error names (States.ALL and the predefined ones). */
    static final Set<String> STATES_ERRORS = Set.of("States.ALL", "States.DataLimitExceeded",
            "States.ExceedToleratedFailureThreshold", "States.HeartbeatTimeout", "States.Http.Socket",
            "States.IntrinsicFailure", "States.ItemReaderFailed", "States.NoChoiceMatched",
            "States.ParameterPathFailure", "States.Permissions", "States.QueryEvaluationError",
            "States.ResultPathMatchFailure", "States.ResultWriterFailed", "States.Runtime", "States.TaskFailed",
            "States.Timeout", "States.BranchFailed");

    @Test
    void everyErrorNameInTheStateMachinesExists() throws IOException {
        for (String sm : List.of(ONE_STATE_MACHINE, BATCH_STATE_MACHINE)) {
            List<String> names = new ArrayList<>();
            collect(asl(sm), "ErrorEquals", node -> node.forEach(n -> names.add(n.asText())));
            assertFalse(names.isEmpty(), sm);
            for (String name : names) {
                assertTrue(errorNameExists(name), sm + ": ErrorEquals names " + name + ", which is not an error "
                        + "Step Functions or this function can raise");
            }
        }
    }

    @Test
    void theErrorNameCheckRejectsWhatDoesNotExist() {
        assertTrue(errorNameExists("cloud.phonematch.verify.output.RateLimitedException"));
        assertTrue(errorNameExists("States.ALL"));
        assertFalse(errorNameExists("cloud.phonematch.verify.output.RateLimitException"));
        assertFalse(errorNameExists("cloud.phonematch.verify.output.VerificationException"), "abstract");
        assertFalse(errorNameExists("java.lang.IllegalStateException"));
        assertFalse(errorNameExists("States.Everything"));
        assertFalse(errorNameExists("Lambda.ServiceException"));
    }

    @Test
    void tasksRetryExactlyTheFailuresThatCannotHaveBeenChargedAndOnlyWithJitteredBackoff() throws IOException {
        Set<String> retryable = unchargedRetryableErrors();
        assertFalse(retryable.isEmpty());
        for (String sm : List.of(ONE_STATE_MACHINE, BATCH_STATE_MACHINE)) {
            List<JsonNode> tasks = functionTasks(asl(sm));
            assertFalse(tasks.isEmpty(), sm + " never invokes the function");
            for (JsonNode task : tasks) {
                assertEquals(List.of(), retryViolations(task), sm);
                for (JsonNode retrier : task.path("Retry")) {
                    assertEquals("FULL", retrier.path("JitterStrategy").asText(), sm + " " + retrier);
                    assertTrue(retrier.path("BackoffRate").asDouble() > 1.0, sm + " " + retrier);
                    int attempts = retrier.path("MaxAttempts").asInt();
                    assertTrue(attempts >= 1 && attempts <= 10, sm + " " + retrier);
                }
                Set<String> retried = retriedNames(task);
                retried.removeAll(LAMBDA_SERVICE_ERRORS.keySet());
                assertEquals(retryable, retried, sm + ": retry every failure that is retryable and uncharged");
            }
        }
    }

    @Test
    void theRetryRuleRejectsAWorkflowThatCouldPayTwice() throws IOException {
        JsonNode task = functionTasks(asl(ONE_STATE_MACHINE)).get(0).deepCopy();
        ArrayNode names = (ArrayNode) task.path("Retry").get(0).path("ErrorEquals");
        names.add(OutcomeUnknownException.class.getName());
        names.add("States.ALL");
        names.add(exceptionOf(ErrorType.UPSTREAM_CONTRACT).getName());

        List<String> violations = retryViolations(task);

        assertEquals(3, violations.size(), violations.toString());
        assertTrue(violations.stream().anyMatch(v -> v.startsWith(OutcomeUnknownException.class.getName())
                && v.contains("pay twice")), violations.toString());
    }

    @Test
    void everyPossiblyChargedFailureIsThrownAsTheClassNoRetryLists() {
        for (ErrorType type : ErrorType.values()) {
            Failure maybeCharged = Failure.of(type, "test").maybeCharged();
            assertEquals(OutcomeUnknownException.class, maybeCharged.toException("r").getClass(), type.name());
            assertFalse(maybeCharged.retryable(), type.name());
        }
        assertTrue(MAYBE_CHARGED_ERRORS.stream().allMatch(StateMachineErrorsTest::errorNameExistsOrIsALambdaFault));
    }

    /** Why a task's Retry blocks could pay twice or retry what cannot succeed; empty when they cannot. */
    static List<String> retryViolations(JsonNode task) {
        Set<String> allowed = new TreeSet<>(unchargedRetryableErrors());
        allowed.addAll(LAMBDA_SERVICE_ERRORS.keySet());
        List<String> violations = new ArrayList<>();
        for (String name : retriedNames(task)) {
            if (MAYBE_CHARGED_ERRORS.contains(name)) {
                violations.add(name + " may follow a charged call: retrying it may pay twice");
            } else if (!allowed.contains(name)) {
                violations.add(name + " is not retryable: repeating it cannot help");
            }
        }
        return violations;
    }

    /** The exception classes of the retryable error types: the function throws them only when nothing was charged. */
    static Set<String> unchargedRetryableErrors() {
        Set<String> names = new TreeSet<>();
        for (ErrorType t : ErrorType.values()) {
            if (t.retryable()) {
                names.add(exceptionOf(t).getName());
            }
        }
        return names;
    }

    private static Set<String> retriedNames(JsonNode task) {
        Set<String> names = new TreeSet<>();
        for (JsonNode retrier : task.path("Retry")) {
            retrier.path("ErrorEquals").forEach(n -> names.add(n.asText()));
        }
        return names;
    }

    private static boolean errorNameExistsOrIsALambdaFault(String name) {
        return errorNameExists(name) || name.startsWith("Lambda.");
    }

    @Test
    void theSingleVerificationCatchesEveryOtherErrorWithStatesAllLast() throws IOException {
        for (JsonNode task : functionTasks(asl(ONE_STATE_MACHINE))) {
            JsonNode catchers = task.path("Catch");
            assertTrue(catchers.size() >= 2);
            Set<String> caught = new TreeSet<>();
            for (Iterator<JsonNode> it = catchers.elements(); it.hasNext();) {
                JsonNode catcher = it.next();
                List<String> names = new ArrayList<>();
                catcher.path("ErrorEquals").forEach(n -> names.add(n.asText()));
                if (names.contains("States.ALL")) {
                    assertEquals(List.of("States.ALL"), names, "States.ALL stands alone");
                    assertFalse(it.hasNext(), "States.ALL is the last catcher");
                }
                caught.addAll(names);
            }
            assertTrue(caught.contains("States.ALL"));
            for (ErrorType t : ErrorType.values()) {
                assertTrue(caught.contains(exceptionOf(t).getName()), "no Catch names " + exceptionOf(t).getName());
            }
            assertTrue(caught.contains(OutcomeUnknownException.class.getName()));
        }
    }

    @Test
    void aPossiblyChargedFailureEndsTheSingleVerificationInItsOwnState() throws IOException {
        JsonNode definition = asl(ONE_STATE_MACHINE);
        JsonNode catcher = catcherOf(functionTasks(definition).get(0), OutcomeUnknownException.class.getName());
        assertEquals(List.of(OutcomeUnknownException.class.getName()), names(catcher.path("ErrorEquals")));
        JsonNode target = definition.path("States").path(catcher.path("Next").asText());
        assertEquals("Fail", target.path("Type").asText(), "ends the execution, visibly, without any retry");
        assertEquals("OutcomeUnknown", catcher.path("Next").asText());
    }

    @Test
    void theBatchCatchesOnlyPossiblyChargedRowsSoThatRedriveNeverSendsThemAgain() throws IOException {
        List<JsonNode> catchers = new ArrayList<>();
        collect(asl(BATCH_STATE_MACHINE), "Catch", c -> c.forEach(catchers::add));
        assertEquals(1, catchers.size(), "any other caught error would mark its row exited, and redrive skips it");
        assertEquals(List.of(OutcomeUnknownException.class.getName()), names(catchers.get(0).path("ErrorEquals")));
        JsonNode processor = asl(BATCH_STATE_MACHINE).path("States").path("VerifyRows").path("ItemProcessor");
        JsonNode target = processor.path("States").path(catchers.get(0).path("Next").asText());
        assertEquals("Succeed", target.path("Type").asText(), "the row finishes: a redrive does not re-run it");
    }

    @Test
    void theBatchRecordsAPossiblyChargedRowAsTheFunctionsErrorWithItsLine() throws Exception {
        JsonNode catcher = catcherOf(functionTasks(asl(BATCH_STATE_MACHINE)).get(0),
                OutcomeUnknownException.class.getName());
        Failure failure = Failure.upstream(ErrorType.UPSTREAM_TIMEOUT, "the API did not answer in time", 504, null)
                .maybeCharged();
        String errorJson = FailureJson.render(failure, "req-1");
        Map<String, Object> row = Map.of("name", "x", "mobile", "y", "correlation_id", "line-7");
        // What the Lambda integration puts in Cause: the function's error object, its message being our JSON.
        String lambdaCause = JSON.writeValueAsString(Map.of("errorType", OutcomeUnknownException.class.getName(),
                "errorMessage", errorJson, "trace", List.of()));

        for (String cause : List.of(lambdaCause, errorJson)) {
            Object output = StepFunctionsJsonata.evaluate(catcher.path("Output").asText(), row,
                    Map.of("Error", OutcomeUnknownException.class.getName(), "Cause", cause));
            JsonNode recorded = JSON.valueToTree(output);

            assertEquals("line-7", recorded.path("correlation_id").asText());
            assertEquals("req-1", recorded.path("request_id").asText());
            assertTrue(recorded.path("error").path("outcome_unknown").asBoolean(), recorded.toString());
            assertEquals("UPSTREAM_TIMEOUT", recorded.path("error").path("type").asText());
            assertFalse(recorded.toString().contains("\"x\""), "the row's name is not copied");
        }
    }

    private static JsonNode catcherOf(JsonNode task, String error) {
        for (JsonNode catcher : task.path("Catch")) {
            if (names(catcher.path("ErrorEquals")).contains(error)) {
                return catcher;
            }
        }
        throw new AssertionError("no Catch names " + error);
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.asText()));
        return names;
    }

    /** States.* errors, the listed Lambda service errors, or a concrete exception class this function throws. */
    static boolean errorNameExists(String name) {
        if (name.startsWith("States.")) {
            return STATES_ERRORS.contains(name);
        }
        if (name.startsWith("Lambda.")) {
            return LAMBDA_SERVICE_ERRORS.containsKey(name);
        }
        try {
            Class<?> c = Class.forName(name);
            return VerificationException.class.isAssignableFrom(c)
                    && !java.lang.reflect.Modifier.isAbstract(c.getModifiers());
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** The exception class a direct caller receives for this failure type. */
    static Class<? extends VerificationException> exceptionOf(ErrorType type) {
        return type.toException(Failure.of(type, "test"), "req-test").getClass();
    }
}
