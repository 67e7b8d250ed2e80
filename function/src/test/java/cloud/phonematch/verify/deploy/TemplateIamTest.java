package cloud.phonematch.verify.deploy;

import static cloud.phonematch.verify.deploy.DeploymentFiles.ONE_STATE_MACHINE;
import static cloud.phonematch.verify.deploy.DeploymentFiles.SAMPLE_VALUES;
import static cloud.phonematch.verify.deploy.DeploymentFiles.environmentFor;
import static cloud.phonematch.verify.deploy.DeploymentFiles.reparsed;
import static cloud.phonematch.verify.deploy.DeploymentFiles.template;
import static cloud.phonematch.verify.deploy.IamExpectations.iamProblems;
import static cloud.phonematch.verify.deploy.IamExpectations.policyText;
import static cloud.phonematch.verify.deploy.Template.list;
import static cloud.phonematch.verify.deploy.Template.map;
import static cloud.phonematch.verify.deploy.Template.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import cloud.phonematch.verify.deploy.IamPolicies.Grant;

/**
 * The IAM of template.yaml: only the listed actions, nothing on "*", the secret's permissions only with a
 * secret, no named IAM resources; and that the check itself notices what it is there to refuse. Plain JUnit.
 */
@ExtendWith(DeploymentFiles.Loaded.class)
class TemplateIamTest {
    @Test
    void iamGrantsOnlyWhatIsListedAndNothingOnStar() {
        List<String> problems = iamProblems(template);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void theStarDetectorFlagsAStatementOnStar() throws IOException {
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Effect", "Allow");
        statement.put("Action", "secretsmanager:GetSecretValue");
        statement.put("Resource", "*");
        assertFalse(IamPolicies.broadness(new Grant("X", List.of(), statement)).isEmpty());
        statement.put("Resource", List.of(ref("TokenSecretArn"), "*"));
        assertFalse(IamPolicies.broadness(new Grant("X", List.of(), statement)).isEmpty());
        statement.put("Resource", Map.of("Fn::If", List.of("HasTokenSecret", ref("TokenSecretArn"), "*")));
        assertFalse(IamPolicies.broadness(new Grant("X", List.of(), statement)).isEmpty());
        statement.put("Resource", ref("TokenSecretArn"));
        statement.put("Action", "secretsmanager:*");
        assertFalse(IamPolicies.broadness(new Grant("X", List.of(), statement)).isEmpty());

        // The same, planted in the real template: the whole check must notice.
        Template mutated = reparsed();
        Map<String, Object> role = mutated.properties("VerifyFunctionRole");
        Map<String, Object> logs = map(list(role.get("Policies")).get(0), "policy");
        Map<String, Object> first = map(list(map(logs.get("PolicyDocument"), "doc").get("Statement")).get(0), "st");
        first.put("Resource", "*");
        assertFalse(iamProblems(mutated).isEmpty());
    }

    @Test
    void theIamCheckFlagsAnActionThatIsNotListedAndAManagedPolicy() throws IOException {
        Template extraAction = reparsed();
        Map<String, Object> logs = map(list(extraAction.properties("VerifyFunctionRole").get("Policies")).get(0), "p");
        map(list(map(logs.get("PolicyDocument"), "doc").get("Statement")).get(0), "st")
                .put("Action", List.of("logs:CreateLogStream", "logs:PutLogEvents", "logs:DeleteLogGroup"));
        assertFalse(iamProblems(extraAction).isEmpty());

        Template managed = reparsed();
        managed.properties(ONE_STATE_MACHINE).put("Policies", List.of("AmazonS3FullAccess"));
        assertFalse(iamProblems(managed).isEmpty());
    }

    @Test
    void secretPermissionExistsExactlyWhenThereIsASecret() {
        Map<String, String> live = template.parameterValues(Map.of("TokenSecretArn", SAMPLE_VALUES.get("TokenSecretArn")));
        Map<String, String> sandbox = template.parameterValues(Map.of("Upstream", "sandbox"));
        assertTrue(policyText("VerifyFunctionRole", live).contains("secretsmanager:GetSecretValue"));
        assertFalse(policyText("VerifyFunctionRole", sandbox).contains("secretsmanager"),
                "a sandbox stack without a secret gets no Secrets Manager permission");
        assertFalse(environmentFor(sandbox).containsKey("VERIFY_TOKEN_SECRET_ID"));
        assertEquals(SAMPLE_VALUES.get("TokenSecretArn"), environmentFor(live).get("VERIFY_TOKEN_SECRET_ID"));
        assertFalse(policyText("VerifyFunctionRole", live).contains("kms:Decrypt"));
        Map<String, String> kms = new HashMap<>(live);
        kms.put("SecretKmsKeyArn", SAMPLE_VALUES.get("SecretKmsKeyArn"));
        assertTrue(policyText("VerifyFunctionRole", kms).contains("kms:Decrypt"));
    }

    @Test
    void onlyUnnamedIamResourcesSoCapabilityIamIsEnough() {
        for (String id : template.resources().keySet()) {
            if (template.type(id).startsWith("AWS::IAM::")) {
                Map<String, Object> p = template.properties(id);
                for (String named : List.of("RoleName", "ManagedPolicyName", "UserName", "GroupName")) {
                    assertFalse(p.containsKey(named), id + "." + named + " would need CAPABILITY_NAMED_IAM");
                }
            }
        }
    }
}
