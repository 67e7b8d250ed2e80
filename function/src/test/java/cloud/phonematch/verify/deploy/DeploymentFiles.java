package cloud.phonematch.verify.deploy;

import static cloud.phonematch.verify.deploy.Template.list;
import static cloud.phonematch.verify.deploy.Template.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;

import cloud.phonematch.verify.support.ProjectRoot;

/**
 * template.yaml and samconfig.toml as the deployment tests read them, the names they check, and the ways to deploy
 * the template in thought: its parameters resolved for a choice of values, and every choice its Rules accept.
 * Shared by the tests of this package; {@link #load()} (re)reads the files.
 */
final class DeploymentFiles {
    static final Path ROOT = ProjectRoot.PATH;

    static final String FUNCTION = "VerifyFunction";
    static final String ONE_STATE_MACHINE = "VerifyOneStateMachine";
    static final String BATCH_STATE_MACHINE = "VerifyBatchStateMachine";

    /** What `./mvnw package` leaves for Lambda, for either runtime (quarkus-amazon-lambda's function.zip). */
    static final String CODE_URI = "function/target/function.zip";
    static final String JVM_HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";
    static final String NATIVE_HANDLER = "not.used.in.provided.runtime";

    /** A valid non-empty value for each parameter whose default is empty, to deploy every branch in thought. */
    static final Map<String, String> SAMPLE_VALUES = Map.of(
            "TokenSecretArn", "arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:phonematch/verify-api-token-AbCdEf",
            "SecretKmsKeyArn", "arn:aws-cn:kms:cn-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "AlarmTopicArn", "arn:aws-cn:sns:cn-north-1:123456789012:verify-alarms",
            "JwtIssuer", "https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_EXAMPLE",
            "JwtAudience", "example-client-id",
            "BatchInputBucket", "example-verify-input",
            "BatchResultsBucket", "example-verify-results",
            "EncryptionPublicKey", "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoEcz1UBgi0DQgAE\n-----END PUBLIC KEY-----");

    static final ObjectMapper JSON = new ObjectMapper();
    static Template template;
    static JsonNode samconfig;
    static List<Map<String, String>> scenarios;

    private DeploymentFiles() {
    }

    /** Loads the files before a test class's tests: {@code @ExtendWith(DeploymentFiles.Loaded.class)}. */
    static final class Loaded implements BeforeAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) throws IOException {
            load();
        }
    }

    /** Reads template.yaml and samconfig.toml, and derives the deployable parameter choices. */
    static void load() throws IOException {
        template = new Template(CloudFormationYaml.load(ROOT.resolve("template.yaml")));
        samconfig = new TomlMapper().readTree(ROOT.resolve("samconfig.toml").toFile());
        scenarios = scenarios(template);
    }

    /** The function's properties as deployed with these parameter values (others at their defaults). */
    static Map<String, Object> function(Map<String, String> overrides) {
        return template.resolvedProperties(FUNCTION, deployable(overrides));
    }

    /** The function's environment with these overrides of the deployable defaults. */
    static Map<String, Object> environment(Map<String, String> overrides) {
        return environmentFor(deployable(overrides));
    }

    /** The function's environment for exactly these parameter values. */
    static Map<String, Object> environmentFor(Map<String, String> values) {
        Map<String, Object> fn = template.resolvedProperties(FUNCTION, values);
        return map(map(fn.get("Environment"), "Environment").get("Variables"), "Variables");
    }

    /** Defaults, the sample values for empty optional parameters a rule needs, then {@code overrides}. */
    static Map<String, String> deployable(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>();
        values.put("TokenSecretArn", SAMPLE_VALUES.get("TokenSecretArn"));
        values.put("JwtIssuer", SAMPLE_VALUES.get("JwtIssuer"));
        values.put("JwtAudience", SAMPLE_VALUES.get("JwtAudience"));
        values.putAll(overrides);
        return template.parameterValues(values);
    }

    static Map<String, Object> onlyFunction(Map<String, Object> samTemplate) {
        Template t = new Template(samTemplate);
        List<String> fns = t.ofType("AWS::Serverless::Function");
        assertEquals(1, fns.size());
        return t.properties(fns.get(0));
    }

    /**
     * Every combination of the values of the parameters that conditions and rules depend on (enumerations:
     * each allowed value; optional strings: empty and a sample), minus those the template's Rules refuse.
     */
    static List<Map<String, String>> scenarios(Template t) {
        Set<String> varied = new TreeSet<>();
        References.visit(t.conditions(), "Conditions", r -> {
            if (r.kind().equals("Ref") && t.parameters().containsKey(r.target())) {
                varied.add(r.target());
            }
        });
        References.visit(t.section("Rules"), "Rules", r -> {
            if (r.kind().equals("Ref") && t.parameters().containsKey(r.target())) {
                varied.add(r.target());
            }
        });
        List<Map<String, String>> combinations = new ArrayList<>();
        combinations.add(Map.of());
        for (String p : varied) {
            Map<String, Object> parameter = map(t.parameters().get(p), p);
            List<String> options;
            if (parameter.containsKey("AllowedValues")) {
                options = list(parameter.get("AllowedValues")).stream().map(String::valueOf).toList();
            } else if ("".equals(parameter.get("Default"))) {
                String sample = SAMPLE_VALUES.get(p);
                assertNotNull(sample, "add a sample value for the optional parameter " + p + " to SAMPLE_VALUES");
                options = List.of("", sample);
            } else {
                options = List.of(String.valueOf(parameter.get("Default")));
            }
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> c : combinations) {
                for (String o : options) {
                    Map<String, String> m = new HashMap<>(c);
                    m.put(p, o);
                    next.add(m);
                }
            }
            combinations = next;
        }
        List<Map<String, String>> deployable = new ArrayList<>();
        for (Map<String, String> c : combinations) {
            Map<String, String> values = t.parameterValues(c);
            if (ruleViolations(t, values).isEmpty()) {
                deployable.add(values);
            }
        }
        return deployable;
    }

    static List<String> ruleViolations(Map<String, String> values) {
        return ruleViolations(template, values);
    }

    static List<String> ruleViolations(Template t, Map<String, String> values) {
        List<String> violations = new ArrayList<>();
        t.section("Rules").forEach((name, r) -> {
            Map<String, Object> rule = map(r, name);
            Object when = rule.get("RuleCondition");
            if (when == null || t.truth(when, values)) {
                for (Object a : list(rule.get("Assertions"))) {
                    Map<String, Object> assertion = map(a, name);
                    if (!t.truth(assertion.get("Assert"), values)) {
                        violations.add(name + ": " + assertion.get("AssertDescription"));
                    }
                }
            }
        });
        return violations;
    }

    /** What CloudFormation would refuse about this value of this parameter. */
    static List<String> parameterProblems(String name, String value) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> p = map(template.parameters().get(name), name);
        if (p.containsKey("AllowedValues")
                && list(p.get("AllowedValues")).stream().map(String::valueOf).noneMatch(value::equals)) {
            problems.add(name + "=" + value + " is not one of " + p.get("AllowedValues"));
        }
        if (p.containsKey("AllowedPattern") && !Pattern.compile((String) p.get("AllowedPattern")).matcher(value).matches()) {
            problems.add(name + "=" + value + " does not match " + p.get("AllowedPattern"));
        }
        if ("Number".equals(p.get("Type"))) {
            try {
                double d = Double.parseDouble(value);
                if (p.containsKey("MinValue") && d < ((Number) p.get("MinValue")).doubleValue()
                        || p.containsKey("MaxValue") && d > ((Number) p.get("MaxValue")).doubleValue()) {
                    problems.add(name + "=" + value + " is out of range");
                }
            } catch (NumberFormatException e) {
                problems.add(name + "=" + value + " is not a number");
            }
        }
        return problems;
    }

    static Map<String, String> overrides(String env) {
        JsonNode node = samconfig.path(env).path("deploy").path("parameters").path("parameter_overrides");
        if (node.isArray()) {
            Map<String, String> out = new LinkedHashMap<>();
            node.forEach(n -> out.putAll(parseOverrides(n.asText())));
            return out;
        }
        return parseOverrides(node.asText(""));
    }

    /** SAM CLI's forms: {@code K=V K2="v w"} and {@code ParameterKey=K,ParameterValue=V}. */
    static Map<String, String> parseOverrides(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher long_ = Pattern.compile("ParameterKey=([^,\\s]+),ParameterValue=(\"[^\"]*\"|\\S*)").matcher(text);
        boolean any = false;
        while (long_.find()) {
            any = true;
            out.put(long_.group(1), unquote(long_.group(2)));
        }
        if (any) {
            return out;
        }
        Matcher m = Pattern.compile("([A-Za-z0-9]+)=(\"[^\"]*\"|'[^']*'|\\S*)").matcher(text);
        while (m.find()) {
            out.put(m.group(1), unquote(m.group(2)));
        }
        return out;
    }

    private static String unquote(String v) {
        return v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))
                ? v.substring(1, v.length() - 1)
                : v;
    }

    static Template reparsed() throws IOException {
        return new Template(CloudFormationYaml.load(ROOT.resolve("template.yaml")));
    }

    static Path definitionFile(String stateMachine) {
        Path file = ROOT.resolve((String) template.properties(stateMachine).get("DefinitionUri"));
        assertTrue(Files.exists(file), file + " is missing");
        return file;
    }

    static JsonNode asl(String stateMachine) throws IOException {
        return JSON.readTree(definitionFile(stateMachine).toFile());
    }

    static Map<String, Object> substitutions(String stateMachine) {
        return map(template.properties(stateMachine).getOrDefault("DefinitionSubstitutions", Map.of()), "subs");
    }

    /** Task states that invoke the verification function. */
    static List<JsonNode> functionTasks(JsonNode definition) {
        List<JsonNode> tasks = new ArrayList<>();
        collectStates(definition, s -> "Task".equals(s.path("Type").asText())
                && s.toString().contains("${VerifyFunctionArn}"), tasks);
        return tasks;
    }

    /** Every state (nested ones included) matching {@code filter}. */
    static void collectStates(JsonNode node, Predicate<JsonNode> filter, List<JsonNode> out) {
        if (node.isObject()) {
            JsonNode states = node.path("States");
            if (states.isObject()) {
                states.forEach(s -> {
                    if (filter.test(s)) {
                        out.add(s);
                    }
                });
            }
            node.forEach(child -> collectStates(child, filter, out));
        } else if (node.isArray()) {
            node.forEach(child -> collectStates(child, filter, out));
        }
    }

    /** Every value of a field with this name, anywhere in the tree. */
    static void collect(JsonNode node, String field, java.util.function.Consumer<JsonNode> sink) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals(field)) {
                    sink.accept(e.getValue());
                }
                collect(e.getValue(), field, sink);
            });
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, field, sink));
        }
    }
}
