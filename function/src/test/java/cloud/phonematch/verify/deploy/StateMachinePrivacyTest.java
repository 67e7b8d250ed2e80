package cloud.phonematch.verify.deploy;

import static cloud.phonematch.verify.deploy.DeploymentFiles.BATCH_STATE_MACHINE;
import static cloud.phonematch.verify.deploy.DeploymentFiles.ONE_STATE_MACHINE;
import static cloud.phonematch.verify.deploy.DeploymentFiles.asl;
import static cloud.phonematch.verify.deploy.DeploymentFiles.template;
import static cloud.phonematch.verify.deploy.IamExpectations.LOG_DELIVERY_ACTIONS;
import static cloud.phonematch.verify.deploy.Template.list;
import static cloud.phonematch.verify.deploy.Template.map;
import static cloud.phonematch.verify.deploy.Template.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.deploy.IamPolicies.Grant;

/**
 * Where the state machines keep the names and numbers that pass through them. The single verification is Express
 * (Step Functions keeps no history of an Express execution's input); the batch's rows run as Express child
 * executions, and its Standard parent only ever holds the CSV's key and the results' location. Both log to a log
 * group of their own, kept {@code LogRetentionDays}, at level ERROR and without execution data, with the
 * permissions Step Functions' log delivery needs on their roles and nothing more on "*".
 */
@ExtendWith(DeploymentFiles.Loaded.class)
class StateMachinePrivacyTest {

    @Test
    void theSingleVerificationIsExpress() {
        assertEquals("EXPRESS", template.properties(ONE_STATE_MACHINE).get("Type"));
    }

    @ParameterizedTest
    @ValueSource(strings = { ONE_STATE_MACHINE, BATCH_STATE_MACHINE })
    void eachStateMachineLogsErrorsWithoutExecutionDataToItsOwnRetainedLogGroup(String stateMachine) {
        Map<String, Object> logging = map(template.properties(stateMachine).get("Logging"), stateMachine + ".Logging");
        assertEquals("ERROR", logging.get("Level"));
        assertEquals(false, logging.get("IncludeExecutionData"), "no input or output in the logs");
        List<Object> destinations = list(logging.get("Destinations"));
        assertEquals(1, destinations.size());
        Object arn = map(map(destinations.get(0), "destination").get("CloudWatchLogsLogGroup"), "group").get("LogGroupArn");
        String group = logGroupOf(arn);
        assertEquals("AWS::Logs::LogGroup", template.type(group));
        Map<String, Object> properties = template.properties(group);
        assertEquals(ref("LogRetentionDays"), properties.get("RetentionInDays"));
        String name = String.valueOf(map(properties.get("LogGroupName"), "LogGroupName").get("Fn::Sub"));
        assertTrue(name.startsWith("/aws/vendedlogs/states/${AWS::StackName}-"), name);
    }

    @Test
    void theTwoStateMachinesLogToDifferentLogGroups() {
        assertNotEquals(logGroupOfStateMachine(ONE_STATE_MACHINE), logGroupOfStateMachine(BATCH_STATE_MACHINE));
        assertNotEquals(template.properties(logGroupOfStateMachine(ONE_STATE_MACHINE)).get("LogGroupName"),
                template.properties(logGroupOfStateMachine(BATCH_STATE_MACHINE)).get("LogGroupName"));
    }

    /**
     * No execution history of the batch holds a row. The rows run as Express child executions, of which Step
     * Functions keeps no history. The Standard parent (redriven to resume a stopped batch) holds its input ({"key"}),
     * the Map state's input and its output: the rows come from S3 (ItemReader, not the input), the results go to S3
     * (ResultWriter), and the Map's output is left as Step Functions makes it with a ResultWriter (the Map Run's ARN
     * and the results' bucket and key): nothing reshapes it into something carrying rows, and no variable is assigned.
     */
    @Test
    void noExecutionHistoryOfTheBatchHoldsARow() throws IOException {
        assertEquals("STANDARD", template.properties(BATCH_STATE_MACHINE).get("Type"));
        JsonNode map = theMap();
        assertEquals("DISTRIBUTED", map.at("/ItemProcessor/ProcessorConfig/Mode").asText());
        assertEquals("EXPRESS", map.at("/ItemProcessor/ProcessorConfig/ExecutionType").asText());

        JsonNode definition = asl(BATCH_STATE_MACHINE);
        assertEquals(1, definition.path("States").size(), "the Map is the parent's only state");
        assertTrue(map.path("End").asBoolean());
        assertEquals("{% $states.input.key %}", map.at("/ItemReader/Arguments/Key").asText());
        assertFalse(map.has("Items"), "rows are read from S3, not carried in the input");
        assertEquals("${ResultsBucket}", map.at("/ResultWriter/Arguments/Bucket").asText(),
                "results go to the results bucket, not into the Map's output");
        for (String field : List.of("Output", "Assign", "ResultSelector", "ResultPath", "OutputPath")) {
            assertFalse(map.has(field), field + " would put state into the parent's history");
        }
        assertEquals("COMPACT", map.at("/ResultWriter/WriterConfig/Transformation").asText(),
                "each result is the child's output only, not its input (the row)");
    }

    @ParameterizedTest
    @ValueSource(strings = { ONE_STATE_MACHINE, BATCH_STATE_MACHINE })
    void eachStateMachineRoleMayDeliverItsLogs(String stateMachine) {
        List<Grant> delivery = IamPolicies.grants(template).stream()
                .filter(g -> g.owner().equals(stateMachine) && g.actions().stream().anyMatch(a -> a.startsWith("logs:")))
                .toList();
        assertEquals(1, delivery.size(), String.valueOf(delivery));
        assertEquals(LOG_DELIVERY_ACTIONS, Set.copyOf(delivery.get(0).actions()));
        assertEquals(List.of("*"), delivery.get(0).resources());
        assertTrue(delivery.get(0).conditions().isEmpty(), "logging is always on");
    }

    /** The log delivery exception covers exactly those actions on exactly the state machines' roles. */
    @Test
    void theIamCheckAllowsNothingElseOnStar() throws IOException {
        Template widened = DeploymentFiles.reparsed();
        logStatement(widened, ONE_STATE_MACHINE).put("Action", List.of("logs:CreateLogDelivery", "logs:PutLogEvents"));
        assertFalse(IamExpectations.iamProblems(widened).isEmpty(), "another logs action on *");

        Template other = DeploymentFiles.reparsed();
        logStatement(other, BATCH_STATE_MACHINE).put("Action", new ArrayList<>(List.of("logs:CreateLogDelivery",
                "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery", "logs:ListLogDeliveries",
                "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "s3:GetObject")));
        assertFalse(IamExpectations.iamProblems(other).isEmpty(), "an action of another service on *");

        assertTrue(IamExpectations.iamProblems(template).isEmpty());
    }

    private static Map<String, Object> logStatement(Template t, String stateMachine) {
        for (Object policy : list(t.properties(stateMachine).get("Policies"))) {
            if (policy instanceof Map<?, ?> m && m.containsKey("Statement")) {
                for (Object s : list(m.get("Statement"))) {
                    Map<String, Object> statement = map(s, "statement");
                    if (String.valueOf(statement.get("Action")).contains("logs:")) {
                        return statement;
                    }
                }
            }
        }
        throw new AssertionError(stateMachine + " has no logs statement");
    }

    private static JsonNode theMap() throws IOException {
        List<JsonNode> maps = new ArrayList<>();
        DeploymentFiles.collectStates(asl(BATCH_STATE_MACHINE), s -> "Map".equals(s.path("Type").asText()), maps);
        assertEquals(1, maps.size());
        return maps.get(0);
    }

    /** The logical id of the log group a state machine logs to. */
    private static String logGroupOfStateMachine(String stateMachine) {
        Map<String, Object> logging = map(template.properties(stateMachine).get("Logging"), stateMachine + ".Logging");
        Object arn = map(map(list(logging.get("Destinations")).get(0), "destination").get("CloudWatchLogsLogGroup"),
                "group").get("LogGroupArn");
        return logGroupOf(arn);
    }

    private static String logGroupOf(Object logGroupArn) {
        List<Object> getAtt = list(map(logGroupArn, "LogGroupArn").get("Fn::GetAtt"));
        assertEquals("Arn", getAtt.get(1), "the ARN of a log group of the stack: " + logGroupArn);
        return (String) getAtt.get(0);
    }
}
