package cloud.phonematch.verify.deploy;

import static cloud.phonematch.verify.deploy.DeploymentFiles.BATCH_STATE_MACHINE;
import static cloud.phonematch.verify.deploy.DeploymentFiles.FUNCTION;
import static cloud.phonematch.verify.deploy.DeploymentFiles.ONE_STATE_MACHINE;
import static cloud.phonematch.verify.deploy.DeploymentFiles.asl;
import static cloud.phonematch.verify.deploy.DeploymentFiles.collectStates;
import static cloud.phonematch.verify.deploy.DeploymentFiles.definitionFile;
import static cloud.phonematch.verify.deploy.DeploymentFiles.substitutions;
import static cloud.phonematch.verify.deploy.DeploymentFiles.template;
import static cloud.phonematch.verify.deploy.Template.map;
import static cloud.phonematch.verify.deploy.Template.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The state machine definition files against template.yaml: the batch's Distributed Map over a CSV in S3, the
 * published alias they invoke, and every substitution used. Plain JUnit.
 */
@ExtendWith(DeploymentFiles.Loaded.class)
class StateMachineFilesTest {
    @Test
    void theBatchIsADistributedMapOverACsvInS3WithConcurrencyTiedToReservedConcurrency() throws IOException {
        JsonNode definition = asl(BATCH_STATE_MACHINE);
        List<JsonNode> maps = new ArrayList<>();
        collectStates(definition, s -> "Map".equals(s.path("Type").asText()), maps);
        assertEquals(1, maps.size());
        JsonNode map = maps.get(0);
        assertEquals("DISTRIBUTED", map.at("/ItemProcessor/ProcessorConfig/Mode").asText());
        // Express children keep no history of their row; each run of a row sends the row's key (StateMachineIdempotencyKeyTest).
        assertEquals("EXPRESS", map.at("/ItemProcessor/ProcessorConfig/ExecutionType").asText());
        assertEquals("arn:${Partition}:states:::s3:getObject", map.at("/ItemReader/Resource").asText());
        assertEquals("CSV", map.at("/ItemReader/ReaderConfig/InputType").asText());
        assertEquals("FIRST_ROW", map.at("/ItemReader/ReaderConfig/CSVHeaderLocation").asText());
        String selector = map.path("ItemSelector").toString();
        assertTrue(selector.contains("Map.Item.Value.name") && selector.contains("Map.Item.Value.mobile"), selector);

        Map<String, Object> substitutions = substitutions(BATCH_STATE_MACHINE);
        assertEquals(ref("AWS::Partition"), substitutions.get("Partition"));
        String concurrency = map.path("MaxConcurrency").asText();
        Matcher m = Pattern.compile("\\{%\\s*\\$\\{(\\w+)}\\s*%}").matcher(concurrency);
        assertTrue(m.matches(), "MaxConcurrency must be a substituted number, got " + concurrency);
        assertEquals(ref("ReservedConcurrency"), substitutions.get(m.group(1)));

        assertEquals("arn:${Partition}:states:::s3:putObject", map.at("/ResultWriter/Resource").asText());
        String prefix = map.at("/ResultWriter/Arguments/Prefix").asText();
        assertFalse(prefix.isEmpty());
        String bucket = map.at("/ResultWriter/Arguments/Bucket").asText();
        Matcher b = Pattern.compile("\\$\\{(\\w+)}").matcher(bucket);
        assertTrue(b.matches(), bucket);
        assertNotNull(substitutions.get(b.group(1)));
        boolean writable = IamPolicies.grants(template).stream()
                .filter(g -> g.owner().equals(BATCH_STATE_MACHINE) && g.actions().contains("s3:PutObject"))
                .anyMatch(g -> g.resources().toString().contains("/" + prefix + "/*"));
        assertTrue(writable, "the state machine may write under " + prefix + "/ only, and must be able to");
    }

    @Test
    void stateMachinesInvokeThePublishedAliasAndUseEverySubstitution() throws IOException {
        Pattern placeholder = Pattern.compile("\\$\\{(\\w+)}");
        for (String sm : template.ofType("AWS::Serverless::StateMachine")) {
            String text = Files.readString(definitionFile(sm));
            Set<String> used = new TreeSet<>();
            Matcher m = placeholder.matcher(text);
            while (m.find()) {
                used.add(m.group(1));
            }
            assertEquals(new TreeSet<>(substitutions(sm).keySet()), used,
                    sm + ": every ${X} in the definition is substituted, every substitution is used");
            assertEquals(ref(FUNCTION + ".Alias"), substitutions(sm).get("VerifyFunctionArn"),
                    "SnapStart applies to published versions: invoke the alias");
        }
        // A Distributed Map runs in a Standard parent, whose redrive resumes a stopped batch; the single verification
        // is Express, which keeps no history of its input (StateMachinePrivacyTest).
        assertEquals("EXPRESS", template.properties(ONE_STATE_MACHINE).get("Type"));
        assertEquals("STANDARD", template.properties(BATCH_STATE_MACHINE).get("Type"));
    }
}
