package cloud.phonematch.verify.deploy;

import static cloud.phonematch.verify.deploy.DeploymentFiles.BATCH_STATE_MACHINE;
import static cloud.phonematch.verify.deploy.DeploymentFiles.FUNCTION;
import static cloud.phonematch.verify.deploy.DeploymentFiles.ONE_STATE_MACHINE;
import static cloud.phonematch.verify.deploy.DeploymentFiles.deployable;
import static cloud.phonematch.verify.deploy.DeploymentFiles.reparsed;
import static cloud.phonematch.verify.deploy.DeploymentFiles.scenarios;
import static cloud.phonematch.verify.deploy.DeploymentFiles.template;
import static cloud.phonematch.verify.deploy.Template.map;
import static cloud.phonematch.verify.deploy.Template.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The references and outputs of template.yaml: every reference names something that exists, for every deployable
 * parameter choice, and the outputs name the API, the function and both state machines. Plain JUnit.
 */
@ExtendWith(DeploymentFiles.Loaded.class)
class TemplateReferencesTest {
    @Test
    void everyReferenceNamesSomethingThatExists() {
        List<String> problems = References.unknown(template);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void theReferenceCheckFlagsWhatDoesNotExist() {
        Template broken = new Template(CloudFormationYaml.parse("""
                Parameters: {P: {Type: String}}
                Conditions: {C: !Equals [!Ref P, x]}
                Resources:
                  R:
                    Type: AWS::SNS::Topic
                    Properties:
                      TopicName: !Sub "${P}-${AWS::Region}-${Missing}-${R.TopicName}-${!Literal}"
                      DisplayName: !If [NoSuchCondition, !Ref P, !Ref Nowhere]
                      Tags: [{Key: k, Value: !GetAtt Ghost.Arn}]
                """));
        List<String> problems = References.unknown(broken);
        assertEquals(4, problems.size(), String.join("\n", problems));
        assertTrue(String.join("\n", problems).contains("Missing"));
        assertTrue(String.join("\n", problems).contains("NoSuchCondition"));
        assertTrue(String.join("\n", problems).contains("Nowhere"));
        assertTrue(String.join("\n", problems).contains("Ghost"));
    }

    @Test
    void noDeployableParameterChoiceRefersToAResourceItDoesNotCreate() {
        assertTrue(scenarios.size() > 20, "scenarios: " + scenarios.size());
        List<String> problems = new ArrayList<>();
        for (Map<String, String> values : scenarios) {
            problems.addAll(References.dangling(template, values));
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems.subList(0, Math.min(10, problems.size()))));
    }

    @Test
    void theDanglingCheckFlagsAnUnconditionalReferenceToAConditionalResource() throws IOException {
        Template mutated = reparsed();
        mutated.properties("VerificationsRoute").put("AuthorizerId", ref("HttpApiJwtAuthorizer"));
        assertFalse(References.dangling(mutated, deployable(Map.of("Auth", "IAM"))).isEmpty());
    }

    @Test
    void outputsHoldTheApiUrlTheFunctionAndBothStateMachines() {
        Map<String, Object> outputs = template.outputs();
        for (String name : List.of("ApiUrl", "FunctionArn", "VerifyOneStateMachineArn", "VerifyBatchStateMachineArn")) {
            assertTrue(outputs.containsKey(name), "template.yaml has no output " + name);
        }
        String url = (String) map(map(outputs.get("ApiUrl"), "ApiUrl").get("Value"), "Value").get("Fn::Sub");
        assertTrue(url.startsWith("https://${HttpApi}.") && url.endsWith("/verifications"), url);
        assertEquals(Map.of("Fn::GetAtt", List.of(FUNCTION, "Arn")), map(outputs.get("FunctionArn"), "o").get("Value"));
        assertEquals(ref(ONE_STATE_MACHINE), map(outputs.get("VerifyOneStateMachineArn"), "o").get("Value"));
        assertEquals(ref(BATCH_STATE_MACHINE), map(outputs.get("VerifyBatchStateMachineArn"), "o").get("Value"));
    }
}
