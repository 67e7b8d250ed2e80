package cloud.phonematch.verify.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import cloud.phonematch.verify.support.ProjectRoot;

/**
 * After {@code package} (Failsafe, in {@code verify}): template.yaml agrees with the sam.jvm.yaml and
 * sam.native.yaml that Quarkus's Lambda extension writes next to {@code function.zip}.
 */
@ExtendWith(DeploymentFiles.Loaded.class)
class GeneratedSamTemplatesIT {

    @Test
    void agreesWithTheSamTemplatesQuarkusGenerates() throws IOException {
        Path jvmSam = ProjectRoot.MODULE.resolve("target/sam.jvm.yaml");
        Path nativeSam = ProjectRoot.MODULE.resolve("target/sam.native.yaml");
        assertTrue(Files.exists(jvmSam) && Files.exists(nativeSam), "the package phase writes them");
        Map<String, Object> jvm = DeploymentFiles.onlyFunction(CloudFormationYaml.load(jvmSam));
        assertEquals(jvm.get("Handler"), DeploymentFiles.function(Map.of("Runtime", "jvm")).get("Handler"));
        assertEquals(jvm.get("Runtime"), DeploymentFiles.function(Map.of("Runtime", "jvm")).get("Runtime"));
        assertEquals("function/target/" + jvm.get("CodeUri"), DeploymentFiles.CODE_URI);
        Map<String, Object> nat = DeploymentFiles.onlyFunction(CloudFormationYaml.load(nativeSam));
        assertEquals(nat.get("Handler"), DeploymentFiles.function(Map.of("Runtime", "native")).get("Handler"));
        assertEquals("function/target/" + nat.get("CodeUri"), DeploymentFiles.CODE_URI);
        // Quarkus sets these for its native Lambda executable; so does this template.
        Map<String, Object> env = Template.map(Template.map(nat.getOrDefault("Environment", Map.of()), "env").getOrDefault("Variables",
                Map.of()), "vars");
        Map<String, Object> ours = DeploymentFiles.environment(Map.of("Runtime", "native"));
        env.keySet().forEach(name -> assertTrue(ours.containsKey(name), name + " is set by Quarkus's sam.native.yaml"));
    }

}
