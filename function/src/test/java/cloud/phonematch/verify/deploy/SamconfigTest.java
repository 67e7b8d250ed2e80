package cloud.phonematch.verify.deploy;

import static cloud.phonematch.verify.deploy.DeploymentFiles.ROOT;
import static cloud.phonematch.verify.deploy.DeploymentFiles.SAMPLE_VALUES;
import static cloud.phonematch.verify.deploy.DeploymentFiles.overrides;
import static cloud.phonematch.verify.deploy.DeploymentFiles.parameterProblems;
import static cloud.phonematch.verify.deploy.DeploymentFiles.ruleViolations;
import static cloud.phonematch.verify.deploy.DeploymentFiles.samconfig;
import static cloud.phonematch.verify.deploy.DeploymentFiles.template;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * samconfig.toml against template.yaml: every override names a parameter and a value CloudFormation accepts, the
 * sandbox deploys as it is, and the live environment is refused until it names the secret. Plain JUnit.
 */
@ExtendWith(DeploymentFiles.Loaded.class)
class SamconfigTest {
    @Test
    void samconfigParametersExistAndAreAllowed() {
        assertEquals("0.1", samconfig.path("version").asText());
        for (String env : List.of("default", "sandbox")) {
            JsonNode deploy = samconfig.path(env).path("deploy").path("parameters");
            assertFalse(deploy.isMissingNode(), "samconfig.toml has no [" + env + ".deploy.parameters]");
            Map<String, String> overrides = overrides(env);
            assertFalse(overrides.isEmpty(), env);
            for (var e : overrides.entrySet()) {
                assertTrue(template.parameters().containsKey(e.getKey()),
                        env + ": parameter " + e.getKey() + " is not in template.yaml");
                assertEquals(List.of(), parameterProblems(e.getKey(), e.getValue()), env);
            }
            assertTrue(text(deploy, "capabilities").contains("CAPABILITY_IAM"), env);
            assertTrue(deploy.path("resolve_s3").asBoolean(), env);
            assertTrue(deploy.path("confirm_changeset").asBoolean(), env);
            JsonNode global = samconfig.path(env).path("global").path("parameters");
            assertFalse(text(global, "stack_name").isBlank() && text(deploy, "stack_name").isBlank(), env);
            // No placeholder region: it comes from the deployer's profile, whose account decides the partition.
            assertTrue(text(global, "region").isBlank() && text(deploy, "region").isBlank(), env);
            // bin/deploy builds what these two name.
            assertTrue(overrides.containsKey("Runtime") && overrides.containsKey("Architecture"), env);
        }
        assertEquals("sandbox", overrides("sandbox").get("Upstream"));
        assertTrue(overrides("sandbox").getOrDefault("TokenSecretArn", "").isEmpty(),
                "the sandbox stack deploys without a secret");
        assertEquals(List.of(), ruleViolations(template.parameterValues(overrides("sandbox"))),
                "the sandbox deploys as it is");
    }

    /**
     * The live environment holds no placeholder that would deploy a stack failing on its first call: as shipped it
     * is refused by the template for its missing secret, and by nothing else once the secret is given.
     */
    @Test
    void theLiveEnvironmentIsRefusedUntilItNamesTheSecret() throws IOException {
        Map<String, String> live = overrides("default");
        assertEquals("live", template.parameterValues(live).get("Upstream"));
        assertFalse(live.containsKey("TokenSecretArn"), "no placeholder secret ARN");
        assertEquals(List.of("LiveNeedsTokenSecret: Upstream=live calls the paid API and needs TokenSecretArn (the"
                + " secret holding the API token)."), ruleViolations(template.parameterValues(live)));
        Map<String, String> completed = new HashMap<>(live);
        completed.put("TokenSecretArn", SAMPLE_VALUES.get("TokenSecretArn"));
        assertEquals(List.of(), ruleViolations(template.parameterValues(completed)));
        String text = Files.readString(ROOT.resolve("samconfig.toml"));
        assertFalse(text.contains("123456789012"), "no sample account id");
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isArray() ? v.toString() : v.asText("");
    }
}
