package cloud.phonematch.verify.deploy;

import static cloud.phonematch.verify.deploy.Template.list;
import static cloud.phonematch.verify.deploy.Template.map;
import static cloud.phonematch.verify.deploy.Template.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Named;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;

import cloud.phonematch.verify.support.ProjectRoot;
import cloud.phonematch.verify.deploy.IamPolicies.Grant;
import cloud.phonematch.verify.handler.VerificationHandler;
import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.output.FailureJson;
import cloud.phonematch.verify.output.OutcomeUnknownException;
import cloud.phonematch.verify.output.VerificationException;
import cloud.phonematch.verify.records.DynamoDbRecordStore;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigMappings;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.WithName;

/**
 * template.yaml, samconfig.toml and the state machine definitions, parsed and checked against the code and
 * the build, so that what cannot be deployed from here is at least consistent with what is built here.
 * Plain JUnit: no Quarkus application is started.
 */
class DeploymentFilesTest {
    static final Path ROOT = ProjectRoot.PATH;

    static final String FUNCTION = "VerifyFunction";
    static final String ONE_STATE_MACHINE = "VerifyOneStateMachine";
    static final String BATCH_STATE_MACHINE = "VerifyBatchStateMachine";

    /** What `./mvnw package` leaves for Lambda, for either runtime (quarkus-amazon-lambda's function.zip). */
    static final String CODE_URI = "function/target/function.zip";
    static final String JVM_HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";
    static final String NATIVE_HANDLER = "not.used.in.provided.runtime";

    /**
     * Environment variables the template may set besides the function's settings, each with why. Every entry must be
     * read by a class the function ships (checked in {@link #runtimeVariablesAreReadByTheRuntime()}).
     */
    static final Map<String, String> RUNTIME_ENVIRONMENT = Map.of(
            "DISABLE_SIGNAL_HANDLERS", "io/quarkus/runtime/ApplicationLifecycleManager.class");

    /**
     * Environment variables the template may set for the JVM itself, each with why (checked in
     * {@link #jvmOptionsAreOnlyForTheJvmRuntimeAndAJvmAcceptsThem()}, against the JDK running the build; Lambda
     * runs Java 21, so an option must also exist there — MetaspaceSize and ReservedCodeCacheSize have for
     * decades, CompileThresholdScaling since Java 9).
     */
    static final Map<String, String> JVM_ENVIRONMENT = Map.of(
            "JAVA_TOOL_OPTIONS", "a metaspace threshold above what the function loads (no full GC and heap "
                    + "growth during the first invocation), an earlier C1 compile of the warm path and room in the code cache (no "
                    + "full GC when the compiled code grows; BENCHMARKS.md)");

    /**
     * Settings template.yaml deliberately deploys with a value other than the code's {@code @WithDefault}
     * (none today): anything else it sets literally must equal the default, so a changed default in the
     * code cannot silently lose against a stale copy in the template.
     */
    static final Map<String, String> DEPLOYED_DIFFERENTLY = Map.of();

    /**
     * Error names after which the API may have charged, so that no Retry may list them: the function's possibly
     * charged failures, and the ones Lambda or Step Functions report when the function died or answered nothing
     * (a timeout, a crash) — it may have been in the middle of a paid call.
     */
    static final Set<String> MAYBE_CHARGED_ERRORS = Set.of(OutcomeUnknownException.class.getName(), "States.ALL",
            "States.TaskFailed", "States.Timeout", "States.HeartbeatTimeout", "States.Runtime", "Lambda.Unknown",
            "Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException");

    /** Error names other than States.* and the function's exception classes that a state machine may name. */
    static final Map<String, String> LAMBDA_SERVICE_ERRORS = Map.of(
            "Lambda.TooManyRequestsException",
            "Lambda refused the invocation (ReservedConcurrency reached): the function never ran, so a retry "
                    + "cannot pay for a verification twice");

    /** The Step Functions error names (States.ALL and the predefined ones). */
    static final Set<String> STATES_ERRORS = Set.of("States.ALL", "States.DataLimitExceeded",
            "States.ExceedToleratedFailureThreshold", "States.HeartbeatTimeout", "States.Http.Socket",
            "States.IntrinsicFailure", "States.ItemReaderFailed", "States.NoChoiceMatched",
            "States.ParameterPathFailure", "States.Permissions", "States.QueryEvaluationError",
            "States.ResultPathMatchFailure", "States.ResultWriterFailed", "States.Runtime", "States.TaskFailed",
            "States.Timeout", "States.BranchFailed");

    /**
     * What Step Functions' documentation lists for a state machine's role to log to CloudWatch Logs ("IAM policies
     * for logging to CloudWatch Logs"): account-level log deliveries and resource policies, with no resource-level
     * permissions, so on "*". The second documented exception to "nothing on *", for the state machines only.
     */
    static final Set<String> LOG_DELIVERY_ACTIONS = Set.of("logs:CreateLogDelivery", "logs:GetLogDelivery",
            "logs:UpdateLogDelivery", "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy",
            "logs:DescribeResourcePolicies", "logs:DescribeLogGroups");

    /** Actions each role may hold; a new role or action has to be added here on purpose. */
    static final Map<String, Set<String>> ALLOWED_ACTIONS = Map.of(
            "VerifyFunctionRole", Set.of("logs:CreateLogStream", "logs:PutLogEvents", "secretsmanager:GetSecretValue",
                    "kms:Decrypt", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem",
                    "dynamodb:GetItem"),
            ONE_STATE_MACHINE, with(Set.of("lambda:InvokeFunction"), LOG_DELIVERY_ACTIONS),
            BATCH_STATE_MACHINE, with(Set.of("lambda:InvokeFunction", "s3:GetObject", "s3:PutObject",
                    "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload", "states:StartExecution",
                    "states:DescribeExecution", "states:StopExecution", "states:RedriveExecution"), LOG_DELIVERY_ACTIONS));

    /** The records table's ARN, the only resource DynamoDB actions may name. */
    static final Map<String, Object> RECORDS_TABLE_ARN = Map.of("Fn::GetAtt", List.of("RecordsTable", "Arn"));

    /** The only managed policy: X-Ray has no resource-level permissions (documented in template.yaml). */
    static final Map<String, Object> XRAY_MANAGED_POLICY = Map.of("Fn::Sub",
            "arn:${AWS::Partition}:iam::aws:policy/AWSXrayWriteOnlyAccess");

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

    @BeforeAll
    static void load() throws IOException {
        template = new Template(CloudFormationYaml.load(ROOT.resolve("template.yaml")));
        samconfig = new TomlMapper().readTree(ROOT.resolve("samconfig.toml").toFile());
        scenarios = scenarios(template);
    }

    // ------------------------------------------------------------------ the function and the build

    @Test
    void handlerRuntimeAndCodeUriAgreeWithTheBuildForBothRuntimes() throws Exception {
        Map<String, Object> jvm = function(Map.of("Runtime", "jvm"));
        assertEquals("java21", jvm.get("Runtime"));
        assertEquals(JVM_HANDLER, jvm.get("Handler"));
        assertEquals(CODE_URI, jvm.get("CodeUri"));
        assertEquals(Map.of("ApplyOn", "PublishedVersions"), jvm.get("SnapStart"));

        Map<String, Object> nativeFn = function(Map.of("Runtime", "native"));
        assertEquals("provided.al2023", nativeFn.get("Runtime"));
        assertEquals(NATIVE_HANDLER, nativeFn.get("Handler"));
        assertEquals(CODE_URI, nativeFn.get("CodeUri"));
        assertEquals(Map.of("ApplyOn", "None"), nativeFn.get("SnapStart"));

        assertEquals("native", map(template.parameters().get("Runtime"), "Runtime").get("Default"),
                "native is the default runtime");
        // SnapStart only applies to published versions: every caller must reach the function through the alias.
        assertNotNull(template.properties(FUNCTION).get("AutoPublishAlias"));
        assertEquals(true, template.properties(FUNCTION).get("AutoPublishAliasAllProperties"),
                "without it a parameter change (Upstream, MemorySize) would not reach the alias callers use");

        // The JVM handler string names Quarkus's stream handler, which delegates to the bean named by
        // quarkus.lambda.handler: that bean must be this function's RequestStreamHandler.
        String[] handler = JVM_HANDLER.split("::");
        Class<?> quarkusHandler = Class.forName(handler[0]);
        assertTrue(RequestStreamHandler.class.isAssignableFrom(quarkusHandler));
        assertNotNull(quarkusHandler.getMethod(handler[1], InputStream.class, OutputStream.class, Context.class));
        Properties properties = new Properties();
        try (InputStream in = DeploymentFilesTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        assertEquals(VerificationHandler.class.getAnnotation(Named.class).value(),
                properties.getProperty("quarkus.lambda.handler"));
        assertTrue(RequestStreamHandler.class.isAssignableFrom(VerificationHandler.class));

        // The build that produces function/target/function.zip: quarkus-amazon-lambda, and -Dnative switching to native.
        String pom = Files.readString(ProjectRoot.MODULE.resolve("pom.xml"));
        assertTrue(pom.contains("<artifactId>quarkus-amazon-lambda</artifactId>"), "function.zip comes from it");
        assertTrue(pom.matches("(?s).*<name>native</name>.*<quarkus.native.enabled>true</quarkus.native.enabled>.*"),
                "-Dnative must enable the native build");
    }

    @Test
    void environmentIsExactlyWhatTheCodeReads() {
        // An old name kept read (deprecated) is documented, never set by the template.
        SortedSet<String> expected = ConfigEnvironment.currentEnvironmentNames(ConfigEnvironment.functionMappings());
        assertFalse(expected.isEmpty());
        Map<String, Object> variables = map(map(template.properties(FUNCTION).get("Environment"), "Environment")
                .get("Variables"), "Variables");
        SortedSet<String> set = new TreeSet<>(variables.keySet());
        set.removeAll(RUNTIME_ENVIRONMENT.keySet());
        set.removeAll(JVM_ENVIRONMENT.keySet());

        SortedSet<String> missing = new TreeSet<>(expected);
        missing.removeAll(set);
        SortedSet<String> ignored = new TreeSet<>(set);
        ignored.removeAll(expected);
        assertTrue(missing.isEmpty(), "settings the code reads but template.yaml does not set: " + missing);
        assertTrue(ignored.isEmpty(), "variables template.yaml sets but the code never reads: " + ignored);
    }

    @Test
    void fixedEnvironmentValuesAreTheCodesDefaults() {
        Map<String, String> defaults = ConfigEnvironment.environmentDefaults(ConfigEnvironment.functionMappings());
        Map<String, Object> variables = map(map(template.properties(FUNCTION).get("Environment"), "Environment")
                .get("Variables"), "Variables");
        List<String> drift = new ArrayList<>();
        variables.forEach((name, value) -> {
            if (!(value instanceof Map) && defaults.containsKey(name)) {
                String expected = DEPLOYED_DIFFERENTLY.getOrDefault(name, defaults.get(name));
                if (!expected.equals(String.valueOf(value))) {
                    drift.add(name + ": template " + value + ", code default " + defaults.get(name));
                }
            }
        });
        assertTrue(drift.isEmpty(), "template.yaml pins values that are not the code's defaults (change the "
                + "template, or list a deliberate difference in DEPLOYED_DIFFERENTLY): " + drift);
    }

    @Test
    void environmentDerivationAgreesWithSmallRyesOwnView() {
        List<Class<?>> mappings = ConfigEnvironment.functionMappings();
        assertTrue(mappings.size() >= 6, "one mapping per concern: " + mappings);
        for (Class<?> mapping : mappings) {
            Set<String> smallrye = ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(mapping))
                    .keySet();
            assertEquals(new TreeSet<>(smallrye), ConfigEnvironment.propertyNames(mapping), mapping.getName());
        }
    }

    @Test
    void environmentDerivationFollowsNestedGroupsAndNames() {
        assertEquals(new TreeSet<>(List.of("T_FLAG", "T_GROUP_INNER_TIMEOUT", "T_GROUP_LIST", "T_RENAMED", "T_SOME_URL")),
                ConfigEnvironment.environmentNames(Example.class));
        assertThrows(IllegalStateException.class, () -> ConfigEnvironment.environmentNames(WithMap.class));
    }

    @Test
    void everyDeployableEnvironmentIsValidConfiguration() {
        Set<Map<String, String>> environments = new LinkedHashSet<>();
        for (Map<String, String> values : scenarios) {
            Map<String, String> env = new TreeMap<>();
            environmentFor(values).forEach((k, v) -> {
                if (!RUNTIME_ENVIRONMENT.containsKey(k) && !JVM_ENVIRONMENT.containsKey(k)) {
                    env.put(k, String.valueOf(v));
                }
            });
            environments.add(env);
        }
        assertTrue(environments.size() > 1);
        for (Map<String, String> env : environments) {
            SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                    .withSources(new EnvConfigSource(env, EnvConfigSource.ORDINAL))
                    .withConverter(Duration.class, 200, new DurationConverter());
            ConfigEnvironment.functionMappings().forEach(builder::withMapping);
            SmallRyeConfig config = builder.build();
            try {
                ConfigEnvironment.functionMappings().forEach(m -> assertNotNull(config.getConfigMapping(m)));
            } catch (RuntimeException e) {
                fail("the function would not start with " + env + ": " + e.getMessage(), e);
            }
        }
    }

    @Test
    void runtimeVariablesAreReadByTheRuntime() throws IOException {
        for (var e : RUNTIME_ENVIRONMENT.entrySet()) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(e.getValue())) {
                assertNotNull(in, e.getValue() + " is not on the classpath");
                String bytes = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(bytes.contains(e.getKey()), e.getValue() + " no longer reads " + e.getKey());
            }
        }
        // Only for the native executable; the JVM runtime does not get it.
        assertFalse(environment(Map.of("Runtime", "jvm")).containsKey("DISABLE_SIGNAL_HANDLERS"));
        assertEquals("true", environment(Map.of("Runtime", "native")).get("DISABLE_SIGNAL_HANDLERS"));
    }

    @Test
    void jvmOptionsAreOnlyForTheJvmRuntimeAndAJvmAcceptsThem() throws IOException, InterruptedException {
        for (String name : JVM_ENVIRONMENT.keySet()) {
            assertFalse(environment(Map.of("Runtime", "native")).containsKey(name), name + " is for the JVM only");
            Object value = environment(Map.of("Runtime", "jvm")).get(name);
            assertTrue(value instanceof String s && !s.isBlank(), name + " is set for the JVM runtime: " + value);
        }
        // The JVM refuses to start on an option it does not know or a malformed value.
        String options = (String) environment(Map.of("Runtime", "jvm")).get("JAVA_TOOL_OPTIONS");
        ProcessBuilder java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+PrintFlagsFinal", "-version").redirectErrorStream(true);
        java.environment().put("JAVA_TOOL_OPTIONS", options);
        Process checked = java.start();
        checked.getOutputStream().close();
        String flags = new String(checked.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, checked.waitFor(), "java refuses JAVA_TOOL_OPTIONS=" + options + ":\n" + flags);
        assertTrue(flags.matches("(?s).*\\bMetaspaceSize\\s+= 67108864\\b.*"), "the metaspace threshold is 64 MiB");
        assertTrue(flags.matches("(?s).*\\bCompileThresholdScaling\\s+= 0\\.3\\d*\\b.*"),
                "compile thresholds at 0.3 of the default");
        assertTrue(flags.matches("(?s).*\\bReservedCodeCacheSize\\s+= 134217728\\b.*"), "a 128 MiB code cache");
    }

    /** Lambda's X-Ray integration is not offered in the China regions: there the function is never traced. */
    @Test
    void tracingIsActiveOutsideChinaUnlessTurnedOffAndTheXRayPolicyFollowsIt() {
        record Case(String partition, String tracing, boolean traced) {
        }
        for (Case c : List.of(new Case("aws", "auto", true), new Case("aws-cn", "auto", false),
                new Case("aws", "off", false), new Case("aws-cn", "off", false))) {
            Map<String, String> values = new HashMap<>(deployable(Map.of("Tracing", c.tracing())));
            values.put("AWS::Partition", c.partition());
            assertEquals(c.traced() ? "Active" : "PassThrough",
                    template.resolvedProperties(FUNCTION, values).get("Tracing"), c.toString());
            Object managed = template.resolvedProperties("VerifyFunctionRole", values).get("ManagedPolicyArns");
            assertEquals(c.traced() ? List.of(XRAY_MANAGED_POLICY) : List.of(), managed, c.toString());
        }
        assertEquals("auto", map(template.parameters().get("Tracing"), "Tracing").get("Default"));
    }

    @Test
    void theHttpApiStageThrottlesWithTheParameters() {
        List<String> stages = template.ofType("AWS::ApiGatewayV2::Stage");
        assertEquals(1, stages.size());
        Map<String, String> values = deployable(Map.of("ThrottleRateLimit", "7", "ThrottleBurstLimit", "9"));
        Map<String, Object> settings = map(template.resolvedProperties(stages.get(0), values)
                .get("DefaultRouteSettings"), "DefaultRouteSettings");
        assertEquals("7", settings.get("ThrottlingRateLimit"));
        assertEquals("9", settings.get("ThrottlingBurstLimit"));
        assertEquals(10, map(template.parameters().get("ThrottleRateLimit"), "p").get("Default"));
        assertEquals(20, map(template.parameters().get("ThrottleBurstLimit"), "p").get("Default"));
    }

    @Test
    void functionLogsJsonToItsOwnRetainedLogGroupAndIsTraced() {
        Map<String, Object> fn = template.properties(FUNCTION);
        assertEquals(Map.of("Fn::If", List.of("IsTraced", "Active", "PassThrough")), fn.get("Tracing"));
        Map<String, Object> logging = map(fn.get("LoggingConfig"), "LoggingConfig");
        assertEquals("JSON", logging.get("LogFormat"));
        String logGroup = (String) map(logging.get("LogGroup"), "LogGroup").get("Ref");
        assertEquals("AWS::Logs::LogGroup", template.type(logGroup));
        Map<String, Object> group = template.properties(logGroup);
        assertEquals(ref("LogRetentionDays"), group.get("RetentionInDays"));
        String functionName = (String) map(fn.get("FunctionName"), "FunctionName").get("Fn::Sub");
        assertEquals(Map.of("Fn::Sub", "/aws/lambda/" + functionName), group.get("LogGroupName"),
                "the log group must carry the name Lambda would give the function's log group");
        assertEquals(ref("ReservedConcurrency"), fn.get("ReservedConcurrentExecutions"));
        assertEquals(20, map(template.parameters().get("ReservedConcurrency"), "p").get("Default"));
    }

    @Test
    void alarmsWatchErrorsThrottlesAndP99DurationAndNotifyTheTopicWhenGiven() {
        Map<String, Map<String, Object>> byMetric = new HashMap<>();
        for (String id : template.ofType("AWS::CloudWatch::Alarm")) {
            Map<String, Object> p = template.properties(id);
            assertEquals("AWS/Lambda", p.get("Namespace"), id);
            assertEquals(List.of(Map.of("Name", "FunctionName", "Value", ref(FUNCTION))), p.get("Dimensions"), id);
            byMetric.put((String) p.get("MetricName"), p);
            assertEquals(List.of(), list(template.resolvedProperties(id, template.parameterValues(Map.of()))
                    .get("AlarmActions")), id + " without AlarmTopicArn");
            String topic = SAMPLE_VALUES.get("AlarmTopicArn");
            assertEquals(List.of(topic), template.resolvedProperties(id,
                    template.parameterValues(Map.of("AlarmTopicArn", topic))).get("AlarmActions"), id);
        }
        assertEquals(Set.of("Errors", "Throttles", "Duration"), byMetric.keySet());
        assertEquals("p99", byMetric.get("Duration").get("ExtendedStatistic"));
    }

    // ------------------------------------------------------------------ IAM

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
    void theRecordsTableExistsExactlyWhenOnWithTheStoresKeyTtlAndOperations() {
        Map<String, Object> parameter = map(template.parameters().get("Records"), "Records");
        assertEquals("dynamodb", parameter.get("Default"));
        assertEquals(List.of("dynamodb", "off"), list(parameter.get("AllowedValues")));

        Map<String, String> on = deployable(Map.of());
        assertTrue(template.exists("RecordsTable", on));
        assertEquals("AWS::DynamoDB::Table", template.type("RecordsTable"));
        Map<String, Object> table = template.resolvedProperties("RecordsTable", on);
        assertEquals("PAY_PER_REQUEST", table.get("BillingMode"), "on demand");
        assertEquals(List.of(Map.of("AttributeName", DynamoDbRecordStore.KEY_ATTRIBUTE, "KeyType", "HASH")),
                table.get("KeySchema"), "the store's key, the only key");
        assertEquals(List.of(Map.of("AttributeName", DynamoDbRecordStore.KEY_ATTRIBUTE, "AttributeType", "S")),
                table.get("AttributeDefinitions"));
        assertEquals(Map.of("AttributeName", DynamoDbRecordStore.TTL_ATTRIBUTE, "Enabled", true),
                table.get("TimeToLiveSpecification"), "the TTL reads the attribute the store writes (epoch seconds)");
        assertEquals(Map.of("PointInTimeRecoveryEnabled", true), table.get("PointInTimeRecoverySpecification"));
        assertEquals(Map.of("SSEEnabled", true), table.get("SSESpecification"));
        for (String absent : List.of("GlobalSecondaryIndexes", "LocalSecondaryIndexes", "ProvisionedThroughput",
                "StreamSpecification")) {
            assertFalse(table.containsKey(absent), absent);
        }
        assertEquals(ref("RecordsTable"), environmentFor(on).get("VERIFY_RECORDS_TABLE"));

        List<Grant> dynamodb = IamPolicies.grants(template).stream()
                .filter(g -> g.actions().stream().anyMatch(a -> a.startsWith("dynamodb:"))).toList();
        assertEquals(1, dynamodb.size(), dynamodb.toString());
        assertEquals("VerifyFunctionRole", dynamodb.get(0).owner());
        assertEquals(new TreeSet<>(DynamoDbRecordStore.OPERATIONS.stream().map(o -> "dynamodb:" + o).toList()),
                new TreeSet<>(dynamodb.get(0).actions()), "exactly what the store sends");
        assertEquals(List.of(RECORDS_TABLE_ARN), dynamodb.get(0).resources());
        assertTrue(policyText("VerifyFunctionRole", on).contains("dynamodb:PutItem"));

        Map<String, String> off = deployable(Map.of("Records", "off"));
        assertFalse(template.exists("RecordsTable", off));
        assertFalse(environmentFor(off).containsKey("VERIFY_RECORDS_TABLE"));
        assertFalse(policyText("VerifyFunctionRole", off).contains("dynamodb"), "no table, no DynamoDB permission");

        Map<String, Object> output = map(template.outputs().get("RecordsTableName"), "RecordsTableName");
        assertEquals("HasRecordsTable", output.get("Condition"));
        assertEquals(ref("RecordsTable"), output.get("Value"));
    }

    @Test
    void theIamCheckFlagsDynamoDbBeyondTheRecordsTable() throws IOException {
        assertTrue(iamProblems(template).isEmpty());

        Template index = reparsed();
        recordsStatement(index).put("Resource", Map.of("Fn::Sub", "${RecordsTable.Arn}/index/*"));
        assertFalse(iamProblems(index).isEmpty(), "an index of the table");

        Template read = reparsed();
        recordsStatement(read).put("Action", List.of("dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Scan"));
        assertFalse(iamProblems(read).isEmpty(), "an action the store does not send");

        Template everything = reparsed();
        recordsStatement(everything).put("Action", "dynamodb:*");
        assertFalse(iamProblems(everything).isEmpty(), "a wildcard");
    }

    /** The one statement of the function role's records policy (inside its Fn::If) in a template. */
    private static Map<String, Object> recordsStatement(Template t) {
        for (Object policy : list(t.properties("VerifyFunctionRole").get("Policies"))) {
            for (IamPolicies.Branch branch : IamPolicies.branches(policy, List.of())) {
                Map<String, Object> p = map(branch.value(), "policy");
                if ("write-records".equals(p.get("PolicyName"))) {
                    return map(list(map(p.get("PolicyDocument"), "doc").get("Statement")).get(0), "statement");
                }
            }
        }
        throw new AssertionError("no write-records policy on VerifyFunctionRole");
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

    // ------------------------------------------------------------------ HTTP API

    /**
     * POST on the function's path is the API; the other methods on it and every other path reach the function too,
     * so that callers get its 405 (with Allow) and 404 in the documented shape rather than API Gateway's own 404.
     */
    @ParameterizedTest
    @ValueSource(strings = {"POST ", "ANY ", "$default"})
    void everyRouteReachesTheFunctionWithTheAuthTheParameterChooses(String routeKeyStart) throws Exception {
        Field route = Class.forName("cloud.phonematch.verify.handler.HttpAdapter").getDeclaredField("ROUTE");
        route.setAccessible(true);
        String path = (String) route.get(null);
        String routeKey = routeKeyStart.endsWith(" ") ? routeKeyStart + path : routeKeyStart;

        assertEquals(3, template.ofType("AWS::ApiGatewayV2::Route").size(), "POST, ANY and $default");
        List<String> routes = template.ofType("AWS::ApiGatewayV2::Route").stream()
                .filter(id -> routeKey.equals(template.properties(id).get("RouteKey"))).toList();
        assertEquals(1, routes.size(), "exactly one route " + routeKey);
        String id = routes.get(0);

        Map<String, String> expected = Map.of("IAM", "AWS_IAM", "JWT", "JWT", "NONE", "NONE");
        assertEquals(Set.copyOf(list(map(template.parameters().get("Auth"), "Auth").get("AllowedValues"))),
                expected.keySet());
        for (var e : expected.entrySet()) {
            Map<String, String> values = deployable(Map.of("Auth", e.getKey()));
            Map<String, Object> p = template.resolvedProperties(id, values);
            assertEquals(e.getValue(), p.get("AuthorizationType"), "Auth=" + e.getKey());
            if (e.getKey().equals("JWT")) {
                String authorizer = (String) map(p.get("AuthorizerId"), "AuthorizerId").get("Ref");
                assertTrue(template.exists(authorizer, values));
                Map<String, Object> a = template.resolvedProperties(authorizer, values);
                assertEquals("JWT", a.get("AuthorizerType"));
                Map<String, Object> jwt = map(a.get("JwtConfiguration"), "JwtConfiguration");
                assertEquals(values.get("JwtIssuer"), jwt.get("Issuer"));
                assertEquals(List.of(values.get("JwtAudience")), jwt.get("Audience"));
            } else {
                assertFalse(p.containsKey("AuthorizerId"), "Auth=" + e.getKey());
            }
        }
        assertEquals("IAM", map(template.parameters().get("Auth"), "Auth").get("Default"));

        // The route reaches the function's alias with payload 2.0, and API Gateway may invoke exactly that.
        Map<String, Object> p = template.properties(id);
        String target = (String) map(p.get("Target"), "Target").get("Fn::Sub");
        Matcher m = Pattern.compile("integrations/\\$\\{(\\w+)}").matcher(target);
        assertTrue(m.matches(), target);
        Map<String, Object> integration = template.properties(m.group(1));
        assertEquals("AWS_PROXY", integration.get("IntegrationType"));
        assertEquals("2.0", integration.get("PayloadFormatVersion"));
        assertEquals(ref(FUNCTION + ".Alias"), integration.get("IntegrationUri"));
        assertEquals(integration.get("ApiId"), p.get("ApiId"));
        String api = (String) map(p.get("ApiId"), "ApiId").get("Ref");
        assertEquals("HTTP", template.properties(api).get("ProtocolType"));
        boolean permitted = template.ofType("AWS::Lambda::Permission").stream().map(template::properties)
                .anyMatch(perm -> ref(FUNCTION + ".Alias").equals(perm.get("FunctionName"))
                        && "apigateway.amazonaws.com".equals(perm.get("Principal"))
                        && map(perm.get("SourceArn"), "SourceArn").get("Fn::Sub").toString()
                                .endsWith(":${" + api + "}/*"));
        assertTrue(permitted, "API Gateway needs lambda:InvokeFunction on the alias for " + routeKey);
    }

    // ------------------------------------------------------------------ state machines

    @Test
    void everyErrorNameInTheStateMachinesExists() throws IOException {
        for (String sm : List.of(ONE_STATE_MACHINE, BATCH_STATE_MACHINE)) {
            List<String> names = new ArrayList<>();
            collect(asl(sm), "ErrorEquals", node -> node.forEach(n -> names.add(n.asText())));
            assertFalse(names.isEmpty(), sm);
            for (String name : names) {
                assertTrue(errorNameExists(name), sm + ": ErrorEquals names " + name + ", which is not an error "
                        + "Step Functions or this function can raise");
            }
        }
    }

    @Test
    void theErrorNameCheckRejectsWhatDoesNotExist() {
        assertTrue(errorNameExists("cloud.phonematch.verify.output.RateLimitedException"));
        assertTrue(errorNameExists("States.ALL"));
        assertFalse(errorNameExists("cloud.phonematch.verify.output.RateLimitException"));
        assertFalse(errorNameExists("cloud.phonematch.verify.output.VerificationException"), "abstract");
        assertFalse(errorNameExists("java.lang.IllegalStateException"));
        assertFalse(errorNameExists("States.Everything"));
        assertFalse(errorNameExists("Lambda.ServiceException"));
    }

    @Test
    void tasksRetryExactlyTheFailuresThatCannotHaveBeenChargedAndOnlyWithJitteredBackoff() throws IOException {
        Set<String> retryable = unchargedRetryableErrors();
        assertFalse(retryable.isEmpty());
        for (String sm : List.of(ONE_STATE_MACHINE, BATCH_STATE_MACHINE)) {
            List<JsonNode> tasks = functionTasks(asl(sm));
            assertFalse(tasks.isEmpty(), sm + " never invokes the function");
            for (JsonNode task : tasks) {
                assertEquals(List.of(), retryViolations(task), sm);
                for (JsonNode retrier : task.path("Retry")) {
                    assertEquals("FULL", retrier.path("JitterStrategy").asText(), sm + " " + retrier);
                    assertTrue(retrier.path("BackoffRate").asDouble() > 1.0, sm + " " + retrier);
                    int attempts = retrier.path("MaxAttempts").asInt();
                    assertTrue(attempts >= 1 && attempts <= 10, sm + " " + retrier);
                }
                Set<String> retried = retriedNames(task);
                retried.removeAll(LAMBDA_SERVICE_ERRORS.keySet());
                assertEquals(retryable, retried, sm + ": retry every failure that is retryable and uncharged");
            }
        }
    }

    @Test
    void theRetryRuleRejectsAWorkflowThatCouldPayTwice() throws IOException {
        JsonNode task = functionTasks(asl(ONE_STATE_MACHINE)).get(0).deepCopy();
        ArrayNode names = (ArrayNode) task.path("Retry").get(0).path("ErrorEquals");
        names.add(OutcomeUnknownException.class.getName());
        names.add("States.ALL");
        names.add(exceptionOf(ErrorType.UPSTREAM_CONTRACT).getName());

        List<String> violations = retryViolations(task);

        assertEquals(3, violations.size(), violations.toString());
        assertTrue(violations.stream().anyMatch(v -> v.startsWith(OutcomeUnknownException.class.getName())
                && v.contains("pay twice")), violations.toString());
    }

    @Test
    void everyPossiblyChargedFailureIsThrownAsTheClassNoRetryLists() {
        for (ErrorType type : ErrorType.values()) {
            Failure maybeCharged = Failure.of(type, "test").maybeCharged();
            assertEquals(OutcomeUnknownException.class, maybeCharged.toException("r").getClass(), type.name());
            assertFalse(maybeCharged.retryable(), type.name());
        }
        assertTrue(MAYBE_CHARGED_ERRORS.stream().allMatch(DeploymentFilesTest::errorNameExistsOrIsALambdaFault));
    }

    /** Why a task's Retry blocks could pay twice or retry what cannot succeed; empty when they cannot. */
    static List<String> retryViolations(JsonNode task) {
        Set<String> allowed = new TreeSet<>(unchargedRetryableErrors());
        allowed.addAll(LAMBDA_SERVICE_ERRORS.keySet());
        List<String> violations = new ArrayList<>();
        for (String name : retriedNames(task)) {
            if (MAYBE_CHARGED_ERRORS.contains(name)) {
                violations.add(name + " may follow a charged call: retrying it may pay twice");
            } else if (!allowed.contains(name)) {
                violations.add(name + " is not retryable: repeating it cannot help");
            }
        }
        return violations;
    }

    /** The exception classes of the retryable error types: the function throws them only when nothing was charged. */
    static Set<String> unchargedRetryableErrors() {
        Set<String> names = new TreeSet<>();
        for (ErrorType t : ErrorType.values()) {
            if (t.retryable()) {
                names.add(exceptionOf(t).getName());
            }
        }
        return names;
    }

    private static Set<String> retriedNames(JsonNode task) {
        Set<String> names = new TreeSet<>();
        for (JsonNode retrier : task.path("Retry")) {
            retrier.path("ErrorEquals").forEach(n -> names.add(n.asText()));
        }
        return names;
    }

    private static boolean errorNameExistsOrIsALambdaFault(String name) {
        return errorNameExists(name) || name.startsWith("Lambda.");
    }

    @Test
    void theSingleVerificationCatchesEveryOtherErrorWithStatesAllLast() throws IOException {
        for (JsonNode task : functionTasks(asl(ONE_STATE_MACHINE))) {
            JsonNode catchers = task.path("Catch");
            assertTrue(catchers.size() >= 2);
            Set<String> caught = new TreeSet<>();
            for (Iterator<JsonNode> it = catchers.elements(); it.hasNext();) {
                JsonNode catcher = it.next();
                List<String> names = new ArrayList<>();
                catcher.path("ErrorEquals").forEach(n -> names.add(n.asText()));
                if (names.contains("States.ALL")) {
                    assertEquals(List.of("States.ALL"), names, "States.ALL stands alone");
                    assertFalse(it.hasNext(), "States.ALL is the last catcher");
                }
                caught.addAll(names);
            }
            assertTrue(caught.contains("States.ALL"));
            for (ErrorType t : ErrorType.values()) {
                assertTrue(caught.contains(exceptionOf(t).getName()), "no Catch names " + exceptionOf(t).getName());
            }
            assertTrue(caught.contains(OutcomeUnknownException.class.getName()));
        }
    }

    @Test
    void aPossiblyChargedFailureEndsTheSingleVerificationInItsOwnState() throws IOException {
        JsonNode definition = asl(ONE_STATE_MACHINE);
        JsonNode catcher = catcherOf(functionTasks(definition).get(0), OutcomeUnknownException.class.getName());
        assertEquals(List.of(OutcomeUnknownException.class.getName()), names(catcher.path("ErrorEquals")));
        JsonNode target = definition.path("States").path(catcher.path("Next").asText());
        assertEquals("Fail", target.path("Type").asText(), "ends the execution, visibly, without any retry");
        assertEquals("OutcomeUnknown", catcher.path("Next").asText());
    }

    @Test
    void theBatchCatchesOnlyPossiblyChargedRowsSoThatRedriveNeverSendsThemAgain() throws IOException {
        List<JsonNode> catchers = new ArrayList<>();
        collect(asl(BATCH_STATE_MACHINE), "Catch", c -> c.forEach(catchers::add));
        assertEquals(1, catchers.size(), "any other caught error would mark its row exited, and redrive skips it");
        assertEquals(List.of(OutcomeUnknownException.class.getName()), names(catchers.get(0).path("ErrorEquals")));
        JsonNode processor = asl(BATCH_STATE_MACHINE).path("States").path("VerifyRows").path("ItemProcessor");
        JsonNode target = processor.path("States").path(catchers.get(0).path("Next").asText());
        assertEquals("Succeed", target.path("Type").asText(), "the row finishes: a redrive does not re-run it");
    }

    @Test
    void theBatchRecordsAPossiblyChargedRowAsTheFunctionsErrorWithItsLine() throws Exception {
        JsonNode catcher = catcherOf(functionTasks(asl(BATCH_STATE_MACHINE)).get(0),
                OutcomeUnknownException.class.getName());
        Failure failure = Failure.upstream(ErrorType.UPSTREAM_TIMEOUT, "the API did not answer in time", 504, null)
                .maybeCharged();
        String errorJson = FailureJson.render(failure, "req-1");
        Map<String, Object> row = Map.of("name", "x", "mobile", "y", "correlation_id", "line-7");
        // What the Lambda integration puts in Cause: the function's error object, its message being our JSON.
        String lambdaCause = JSON.writeValueAsString(Map.of("errorType", OutcomeUnknownException.class.getName(),
                "errorMessage", errorJson, "trace", List.of()));

        for (String cause : List.of(lambdaCause, errorJson)) {
            Object output = StepFunctionsJsonata.evaluate(catcher.path("Output").asText(), row,
                    Map.of("Error", OutcomeUnknownException.class.getName(), "Cause", cause));
            JsonNode recorded = JSON.valueToTree(output);

            assertEquals("line-7", recorded.path("correlation_id").asText());
            assertEquals("req-1", recorded.path("request_id").asText());
            assertTrue(recorded.path("error").path("outcome_unknown").asBoolean(), recorded.toString());
            assertEquals("UPSTREAM_TIMEOUT", recorded.path("error").path("type").asText());
            assertFalse(recorded.toString().contains("\"x\""), "the row's name is not copied");
        }
    }

    private static JsonNode catcherOf(JsonNode task, String error) {
        for (JsonNode catcher : task.path("Catch")) {
            if (names(catcher.path("ErrorEquals")).contains(error)) {
                return catcher;
            }
        }
        throw new AssertionError("no Catch names " + error);
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.asText()));
        return names;
    }

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

    // ------------------------------------------------------------------ samconfig.toml

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

    // ------------------------------------------------------------------ references and outputs

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

    @Test
    void theYamlReaderUnderstandsShortFormTags() {
        Map<String, Object> t = CloudFormationYaml.parse("""
                a: !Ref X
                b: !GetAtt R.Attr.Sub
                c: !Sub ["${V}", {V: !Ref Y}]
                d: !If [C, !Join [",", [a, b]], !Ref AWS::NoValue]
                e: !Condition C
                f: !Select [0, !GetAZs ""]
                """);
        assertEquals(ref("X"), t.get("a"));
        assertEquals(Map.of("Fn::GetAtt", List.of("R", "Attr.Sub")), t.get("b"));
        assertEquals(Map.of("Fn::Sub", List.of("${V}", Map.of("V", ref("Y")))), t.get("c"));
        assertEquals(Map.of("Fn::If", List.of("C", Map.of("Fn::Join", List.of(",", List.of("a", "b"))),
                ref("AWS::NoValue"))), t.get("d"));
        assertEquals(Map.of("Condition", "C"), t.get("e"));
        assertEquals(Map.of("Fn::Select", List.of(0, Map.of("Fn::GetAZs", ""))), t.get("f"));
        assertEquals(17, CloudFormationYaml.TAGS.size());
        assertThrows(RuntimeException.class, () -> CloudFormationYaml.parse("a: 1\na: 2\n"), "duplicate keys");
    }

    // ================================================================== helpers

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

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isArray() ? v.toString() : v.asText("");
    }

    /** Everything that is wrong with the template's IAM, as sentences. */
    static List<String> iamProblems(Template t) {
        List<String> problems = new ArrayList<>();
        List<Grant> grants = IamPolicies.grants(t);
        if (grants.isEmpty()) {
            problems.add("no IAM statements found at all");
        }
        String batchName = String.valueOf(map(t.properties(BATCH_STATE_MACHINE).get("Name"), "Name").get("Fn::Sub"));
        for (Grant g : grants) {
            boolean logDelivery = isStateMachineLogDelivery(g);
            IamPolicies.broadness(g).stream()
                    .filter(p -> !(logDelivery && p.startsWith("Resource \"*\"")))
                    .forEach(problems::add);
            Set<String> allowed = ALLOWED_ACTIONS.get(g.owner());
            if (allowed == null) {
                problems.add("permissions for " + g.owner() + ", which is not expected to have any: " + g);
                continue;
            }
            for (String action : g.actions()) {
                if (!allowed.contains(action)) {
                    problems.add(g.owner() + " may not " + action + ": " + g);
                }
            }
            List<String> actions = g.actions();
            String resources = g.resources().toString();
            if (actions.contains("secretsmanager:GetSecretValue")
                    && (!g.resources().equals(List.of(ref("TokenSecretArn"))) || !g.conditions().contains("HasTokenSecret"))) {
                problems.add("GetSecretValue must be on exactly TokenSecretArn, and only when it is given: " + g);
            }
            if (actions.contains("kms:Decrypt") && (!g.resources().equals(List.of(ref("SecretKmsKeyArn")))
                    || !g.conditions().contains("HasSecretKmsKey") || !g.statement().containsKey("Condition"))) {
                problems.add("kms:Decrypt must be on exactly SecretKmsKeyArn, only when given, via Secrets Manager: " + g);
            }
            if (actions.stream().anyMatch(a -> a.startsWith("dynamodb:"))
                    && (!g.resources().equals(List.of(RECORDS_TABLE_ARN))
                            || !g.conditions().contains("HasRecordsTable"))) {
                problems.add("dynamodb actions only on the records table itself (no index, no other table), only when"
                        + " it exists: " + g);
            }
            if (actions.stream().anyMatch(a -> a.startsWith("logs:")) && !logDelivery
                    && !g.resources().equals(List.of(Map.of("Fn::GetAtt", List.of("VerifyLogGroup", "Arn"))))) {
                problems.add("logs actions only on the function's own log group, or exactly Step Functions' log"
                        + " delivery actions on a state machine's role: " + g);
            }
            if (actions.stream().anyMatch(a -> a.startsWith("states:")) && !resources.contains(batchName)) {
                problems.add("states actions only on the batch state machine itself (" + batchName + "): " + g);
            }
            if (actions.contains("lambda:InvokeFunction") && !g.resources().equals(List.of(ref(FUNCTION + ".Alias")))) {
                problems.add("lambda:InvokeFunction only on the verification function's published alias: " + g);
            }
            if (actions.stream().anyMatch(a -> a.startsWith("s3:"))
                    && !resources.contains("BatchInputBucket") && !resources.contains("BatchResultsBucket")) {
                problems.add("s3 actions only on the batch buckets: " + g);
            }
        }
        for (IamPolicies.Attachment a : IamPolicies.attachments(t)) {
            if (!(a.owner().equals("VerifyFunctionRole") && XRAY_MANAGED_POLICY.equals(a.policy()))) {
                problems.add("managed policy " + a.policy() + " on " + a.owner()
                        + ": only AWSXrayWriteOnlyAccess on the function's role is expected");
            }
        }
        return problems;
    }

    /** Exactly the documented log delivery actions, on "*", in a state machine's policies, with no condition. */
    static boolean isStateMachineLogDelivery(Grant g) {
        return (g.owner().equals(ONE_STATE_MACHINE) || g.owner().equals(BATCH_STATE_MACHINE))
                && Set.copyOf(g.actions()).equals(LOG_DELIVERY_ACTIONS) && g.actions().size() == LOG_DELIVERY_ACTIONS.size()
                && g.resources().equals(List.of("*")) && "Allow".equals(g.statement().get("Effect"));
    }

    private static Set<String> with(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /** The resolved policies of a role as text, for these parameter values. */
    static String policyText(String role, Map<String, String> values) {
        return String.valueOf(template.resolvedProperties(role, values).get("Policies"));
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

    /** States.* errors, the listed Lambda service errors, or a concrete exception class this function throws. */
    static boolean errorNameExists(String name) {
        if (name.startsWith("States.")) {
            return STATES_ERRORS.contains(name);
        }
        if (name.startsWith("Lambda.")) {
            return LAMBDA_SERVICE_ERRORS.containsKey(name);
        }
        try {
            Class<?> c = Class.forName(name);
            return VerificationException.class.isAssignableFrom(c)
                    && !java.lang.reflect.Modifier.isAbstract(c.getModifiers());
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** The exception class a direct caller receives for this failure type. */
    static Class<? extends VerificationException> exceptionOf(ErrorType type) {
        return type.toException(Failure.of(type, "test"), "req-test").getClass();
    }

    // ------------------------------------------------------------------ fixtures of the derivation test

    @ConfigMapping(prefix = "t")
    interface Example {
        boolean flag();

        Optional<String> someUrl();

        @WithName("renamed")
        int original();

        Group group();

        interface Group {
            Inner inner();

            List<String> list();
        }

        interface Inner {
            Duration timeout();
        }
    }

    @ConfigMapping(prefix = "t")
    interface WithMap {
        Map<String, String> labels();
    }
}
