package cloud.phonematch.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.deploy.ConfigEnvironment;
import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Language;
import cloud.phonematch.verify.output.ResultCode;
import cloud.phonematch.verify.precheck.PreCheckResult;
import cloud.phonematch.verify.support.OutputSchema;
import cloud.phonematch.verify.support.ProjectRoot;

/** The README is part of the product: its commands, settings and error names must match the code. */
class ReadmeTest {
    private static final Path README = ProjectRoot.PATH.resolve("README.md");

    @Test
    void configurationTableListsExactlyTheVariablesTheCodeReads() throws IOException {
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("^\\| `(VERIFY_[A-Z0-9_]+)` \\|", Pattern.MULTILINE).matcher(Files.readString(README));
        while (m.find()) {
            documented.add(m.group(1));
        }
        assertEquals(ConfigEnvironment.environmentNames(ConfigEnvironment.functionMappings()), documented);
    }

    @Test
    void everyErrorTypeIsDocumentedWithItsExceptionName() throws IOException {
        String readme = Files.readString(README);
        for (ErrorType type : ErrorType.values()) {
            assertTrue(readme.contains(type.name()), type + " missing from the README");
            String exception = type.toException(cloud.phonematch.verify.output.Failure.of(type, "x"), "r")
                    .getClass().getName();
            assertTrue(readme.contains("`" + exception + "`"), exception + " missing from the README");
        }
    }

    @Test
    void theStepFunctionsSnippetIsTheShippedVerifyState() throws IOException {
        String readme = Files.readString(README);
        Matcher m = Pattern.compile("(?s)### Step Functions\\n.*?```json\\n\"Verify\": (\\{.*?)\\n```").matcher(readme);
        assertTrue(m.find(), "the README shows the Verify state as JSON");
        JsonNode snippet = Json.MAPPER.readTree(m.group(1));
        JsonNode shipped = Json.MAPPER.readTree(ProjectRoot.PATH.resolve("statemachine/verify-one.asl.json").toFile())
                .path("States").path("Verify");
        assertEquals(shipped, snippet);
    }

    @Test
    void namesTheRunAndTestCommands() throws IOException {
        String readme = Files.readString(README);
        assertTrue(readme.contains("./mvnw quarkus:dev"));
        assertTrue(readme.contains("./mvnw -B verify"));
        assertTrue(Files.readString(ProjectRoot.PATH.resolve(".ci/run")).contains("./mvnw -B verify"), ".ci/run runs the README's command");
    }

    /** The README's outcome examples are in the published shape and quote the texts the code answers with. */
    @Test
    void outcomeExamplesMatchTheSchemaAndTheCode() throws IOException {
        Matcher block = Pattern.compile("```json\\n(\\{\"status\".*?)```", Pattern.DOTALL)
                .matcher(Files.readString(README));
        List<JsonNode> examples = new ArrayList<>();
        while (block.find()) {
            examples.add(OutputSchema.requireValid(Json.MAPPER.readTree(block.group(1))));
        }
        assertEquals(2, examples.size(), "an answer from upstream and one of the local pre-check");
        for (JsonNode example : examples) {
            ResultCode code = ResultCode.of(example.path("result_code").asInt()).orElseThrow();
            assertEquals(code.description(Language.EN), example.path("description").asText());
        }
        assertTrue(examples.get(0).path("hint").isNull());
        assertEquals(PreCheckResult.Reason.SPACE_NEXT_TO_HAN.hint(Locale.ENGLISH),
                examples.get(1).path("hint").asText());
    }
}
