package cloud.phonematch.verify.deploy;

import static cloud.phonematch.verify.deploy.DeploymentFiles.ROOT;
import static cloud.phonematch.verify.deploy.DeploymentFiles.SAMPLE_VALUES;
import static cloud.phonematch.verify.deploy.DeploymentFiles.parameterProblems;
import static cloud.phonematch.verify.deploy.DeploymentFiles.parseOverrides;
import static cloud.phonematch.verify.deploy.DeploymentFiles.ruleViolations;
import static cloud.phonematch.verify.deploy.DeploymentFiles.template;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The parameters of template.yaml: documented in docs/deployment.md, and the check of a parameter value refusing
 * what CloudFormation would. Plain JUnit.
 */
@ExtendWith(DeploymentFiles.Loaded.class)
class TemplateParametersTest {
    /** docs/deployment.md's parameter table names every parameter of the template, and nothing else. */
    @Test
    void theDeploymentGuideListsEveryParameter() throws IOException {
        String guide = Files.readString(ROOT.resolve("docs/deployment.md"));
        String section = guide.substring(guide.indexOf("## 3. Parameters"), guide.indexOf("## 4."));
        // The parameter table only: the section's subsections have tables of their own (the records table's items).
        String table = section.contains("\n### ") ? section.substring(0, section.indexOf("\n### ")) : section;
        Set<String> documented = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| (`[A-Za-z0-9]+`(?:, `[A-Za-z0-9]+`)*) \\|").matcher(table);
        while (row.find()) {
            Matcher name = Pattern.compile("`([A-Za-z0-9]+)`").matcher(row.group(1));
            while (name.find()) {
                documented.add(name.group(1));
            }
        }
        assertEquals(new TreeSet<>(template.parameters().keySet()), documented);
    }

    @Test
    void theParameterCheckRejectsWhatCloudFormationWould() {
        assertFalse(parameterProblems("Runtime", "graalvm").isEmpty());
        assertFalse(parameterProblems("TokenSecretArn", "my-secret").isEmpty());
        assertFalse(parameterProblems("ReservedConcurrency", "0").isEmpty());
        assertFalse(parameterProblems("ReservedConcurrency", "twenty").isEmpty());
        assertTrue(parameterProblems("TokenSecretArn", SAMPLE_VALUES.get("TokenSecretArn")).isEmpty());
        assertFalse(ruleViolations(template.parameterValues(Map.of("Upstream", "live"))).isEmpty(),
                "live without a secret must be refused");
        assertEquals(Map.of("A", "1", "B", "two words", "C", ""), parseOverrides("A=1 B=\"two words\" C="));
        assertEquals(Map.of("A", "1"), parseOverrides("ParameterKey=A,ParameterValue=1"));
    }
}
