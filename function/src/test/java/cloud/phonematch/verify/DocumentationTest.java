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
import java.util.stream.Stream;

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

/**
 * The README and {@code docs/} are part of the product: their commands, settings and error names must match the code,
 * the README stays short enough to read in one sitting, and every page and link it names is there.
 */
class DocumentationTest {
    private static final Path README = ProjectRoot.PATH.resolve("README.md");
    private static final Path DOCS = ProjectRoot.PATH.resolve("docs");
    private static final Path CONFIGURATION = DOCS.resolve("configuration.md");
    private static final Path API = DOCS.resolve("api.md");
    private static final Path FAULT_TOLERANCE = DOCS.resolve("fault-tolerance.md");
    private static final int README_MOST_LINES = 200;

    @Test
    void configurationTableListsExactlyTheVariablesTheCodeReads() throws IOException {
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("^\\| `(VERIFY_[A-Z0-9_]+)` \\|", Pattern.MULTILINE).matcher(Files.readString(CONFIGURATION));
        while (m.find()) {
            documented.add(m.group(1));
        }
        assertEquals(ConfigEnvironment.environmentNames(ConfigEnvironment.functionMappings()), documented);
    }

    @Test
    void everyErrorTypeIsDocumentedWithItsExceptionName() throws IOException {
        String api = Files.readString(API);
        for (ErrorType type : ErrorType.values()) {
            assertTrue(api.contains(type.name()), type + " missing from docs/api.md");
            String exception = type.toException(cloud.phonematch.verify.output.Failure.of(type, "x"), "r")
                    .getClass().getName();
            assertTrue(api.contains("`" + exception + "`"), exception + " missing from docs/api.md");
        }
    }

    @Test
    void theStepFunctionsSnippetIsTheShippedVerifyState() throws IOException {
        Matcher m = Pattern.compile("(?s)## Step Functions\\n.*?```json\\n\"Verify\": (\\{.*?)\\n```")
                .matcher(Files.readString(FAULT_TOLERANCE));
        assertTrue(m.find(), "docs/fault-tolerance.md shows the Verify state as JSON");
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

    /** The outcome examples of docs/api.md are in the published shape and quote the texts the code answers with. */
    @Test
    void outcomeExamplesMatchTheSchemaAndTheCode() throws IOException {
        Matcher block = Pattern.compile("```json\\n(\\{\"status\".*?)```", Pattern.DOTALL)
                .matcher(Files.readString(API));
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

    @Test
    void theReadmeIsShort() throws IOException {
        long lines = Files.readAllLines(README).size();
        assertTrue(lines <= README_MOST_LINES, "README.md has " + lines + " lines; the rest belongs in docs/");
    }

    @Test
    void theReadmeLinksEveryPageOfTheDocs() throws IOException {
        String readme = Files.readString(README);
        try (Stream<Path> pages = Files.list(DOCS)) {
            for (Path page : pages.filter(p -> p.toString().endsWith(".md")).toList()) {
                String link = "](docs/" + page.getFileName() + ")";
                assertTrue(readme.contains(link), "README.md does not link " + page.getFileName());
            }
        }
    }

    /** Every relative link of the README and of docs/ leads to a file that exists and, with a #fragment, to a heading. */
    @Test
    void everyRelativeLinkLeadsSomewhere() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(README, ProjectRoot.PATH.resolve("BENCHMARKS.md")));
        try (Stream<Path> pages = Files.list(DOCS)) {
            documents.addAll(pages.filter(p -> p.toString().endsWith(".md")).sorted().toList());
        }
        List<String> broken = new ArrayList<>();
        Matcher link = Pattern.compile("\\]\\(([^)\\s]+)\\)").matcher("");
        for (Path document : documents) {
            link.reset(Files.readString(document));
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue;
                }
                int hash = target.indexOf('#');
                Path file = hash == 0 ? document
                        : document.getParent().resolve(hash < 0 ? target : target.substring(0, hash)).normalize();
                if (!Files.exists(file)) {
                    broken.add(document.getFileName() + ": " + target + " (no such file)");
                } else if (hash >= 0 && !anchors(file).contains(target.substring(hash + 1))) {
                    broken.add(document.getFileName() + ": " + target + " (no such heading)");
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    /** The anchors GitHub gives a Markdown file's headings: lower case, punctuation dropped, spaces as hyphens. */
    private static Set<String> anchors(Path markdown) throws IOException {
        Set<String> anchors = new TreeSet<>();
        if (!markdown.toString().endsWith(".md")) {
            return anchors;
        }
        boolean inCode = false;
        for (String line : Files.readAllLines(markdown)) {
            if (line.strip().startsWith("```")) {
                inCode = !inCode;
            } else if (!inCode && line.matches("^#{1,6} .*")) {
                String text = line.replaceFirst("^#+ ", "").strip().toLowerCase(Locale.ROOT);
                anchors.add(text.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }
}
