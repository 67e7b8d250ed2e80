package cloud.phonematch.verify.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cloud.phonematch.verify.support.ProjectRoot;

/**
 * template.yaml as CloudFormation receives it: expanded by the AWS SAM translator (Python's aws-sam-translator, which
 * cfn-lint brings; {@code src/test/python/sam_translate.py}). What SAM generates from the template's short forms is
 * checked here, where it can be seen: the state machines' roles and their logging configuration.
 */
class SamTranslatedTemplateIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode resources;

    @BeforeAll
    static void translate() throws IOException, InterruptedException {
        Path out = Files.createTempFile("sam-translated", ".json");
        Path err = Files.createTempFile("sam-translated", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder("python3",
                    ProjectRoot.MODULE.resolve("src/test/python/sam_translate.py").toString(),
                    ProjectRoot.PATH.resolve("template.yaml").toString()).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().put("AWS_DEFAULT_REGION", "cn-north-1");
            Process p = pb.start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the SAM translator did not finish in 2 minutes");
            assertEquals(0, p.exitValue(), "python3 with aws-sam-translator (installed with cfn-lint) is needed: "
                    + Files.readString(err, StandardCharsets.UTF_8));
            resources = JSON.readTree(out.toFile()).path("Resources");
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
        assertTrue(resources.size() > 10, String.valueOf(resources));
    }

    /**
     * SAM's LambdaInvokePolicy grants {@code function:<name>*}, every function whose name starts with ours; the
     * roles name the published alias the definitions invoke, and nothing else.
     */
    @Test
    void everyLambdaInvokeGrantNamesTheAliasExactly() {
        List<JsonNode> grants = new ArrayList<>();
        for (JsonNode statement : roleStatements()) {
            if (actions(statement).contains("lambda:InvokeFunction") || actions(statement).contains("lambda:*")) {
                grants.add(statement);
            }
        }
        assertEquals(2, grants.size(), "one for each state machine's role: " + grants);
        String alias = aliasOf("VerifyFunction");
        for (JsonNode grant : grants) {
            assertFalse(grant.path("Resource").toString().contains("*"), "a wildcard: " + grant);
            assertEquals("{\"Ref\":\"" + alias + "\"}", grant.path("Resource").toString(), grant.toString());
        }
    }

    /**
     * Each state machine's role may set up its log delivery (the actions Step Functions documents, on "*"); outside
     * the X-Ray managed policy, no other statement of any role is on "*".
     */
    @Test
    void theStateMachinesRolesDeliverTheirLogsAndNothingElseIsOnStar() {
        int delivery = 0;
        for (JsonNode statement : roleStatements()) {
            if (statement.path("Resource").toString().contains("\"*\"")) {
                assertEquals(IamExpectations.LOG_DELIVERY_ACTIONS, java.util.Set.copyOf(actions(statement)),
                        statement.toString());
                assertEquals("\"*\"", statement.path("Resource").toString());
                delivery++;
            }
        }
        assertEquals(2, delivery, "one log delivery statement in each state machine's role");
        for (String sm : List.of("VerifyOneStateMachine", "VerifyBatchStateMachine")) {
            String role = resources.path(sm).at("/Properties/RoleArn/Fn::GetAtt/0").asText();
            assertTrue(resources.path(role).toString().contains("logs:CreateLogDelivery"), sm + "'s role " + role);
        }
    }

    @Test
    void theStateMachinesAreExpressAndStandardAndLogErrorsWithoutExecutionData() {
        JsonNode one = resources.path("VerifyOneStateMachine").path("Properties");
        JsonNode batch = resources.path("VerifyBatchStateMachine").path("Properties");
        assertEquals("EXPRESS", one.path("StateMachineType").asText());
        assertEquals("STANDARD", batch.path("StateMachineType").asText());
        for (JsonNode sm : List.of(one, batch)) {
            JsonNode logging = sm.path("LoggingConfiguration");
            assertEquals("ERROR", logging.path("Level").asText(), sm.toString());
            assertTrue(logging.path("IncludeExecutionData").isBoolean() && !logging.path("IncludeExecutionData").asBoolean());
            assertEquals("Arn", logging.at("/Destinations/0/CloudWatchLogsLogGroup/LogGroupArn/Fn::GetAtt/1").asText());
        }
    }

    /** The logical id SAM gives the function's alias (AWS::Lambda::Alias). */
    private static String aliasOf(String function) {
        List<String> aliases = new ArrayList<>();
        resources.fields().forEachRemaining(e -> {
            if ("AWS::Lambda::Alias".equals(e.getValue().path("Type").asText())
                    && e.getValue().at("/Properties/FunctionName/Ref").asText().equals(function)) {
                aliases.add(e.getKey());
            }
        });
        assertEquals(1, aliases.size(), String.valueOf(aliases));
        return aliases.get(0);
    }

    private static List<JsonNode> roleStatements() {
        List<JsonNode> statements = new ArrayList<>();
        resources.forEach(r -> {
            if ("AWS::IAM::Role".equals(r.path("Type").asText())) {
                r.at("/Properties/Policies").forEach(policy -> {
                    JsonNode s = policy.at("/PolicyDocument/Statement");
                    if (s.isArray()) {
                        s.forEach(statements::add);
                    } else if (!s.isMissingNode()) {
                        statements.add(s);
                    }
                });
            }
        });
        assertFalse(statements.isEmpty());
        return statements;
    }

    private static List<String> actions(JsonNode statement) {
        List<String> actions = new ArrayList<>();
        JsonNode a = statement.path("Action");
        if (a.isArray()) {
            a.forEach(x -> actions.add(x.asText()));
        } else {
            actions.add(a.asText());
        }
        return actions;
    }
}
