package cloud.phonematch.verify.deploy;

import static cloud.phonematch.verify.deploy.DeploymentFiles.CODE_URI;
import static cloud.phonematch.verify.deploy.DeploymentFiles.FUNCTION;
import static cloud.phonematch.verify.deploy.DeploymentFiles.JVM_HANDLER;
import static cloud.phonematch.verify.deploy.DeploymentFiles.NATIVE_HANDLER;
import static cloud.phonematch.verify.deploy.DeploymentFiles.SAMPLE_VALUES;
import static cloud.phonematch.verify.deploy.DeploymentFiles.deployable;
import static cloud.phonematch.verify.deploy.DeploymentFiles.function;
import static cloud.phonematch.verify.deploy.DeploymentFiles.template;
import static cloud.phonematch.verify.deploy.IamExpectations.XRAY_MANAGED_POLICY;
import static cloud.phonematch.verify.deploy.Template.list;
import static cloud.phonematch.verify.deploy.Template.map;
import static cloud.phonematch.verify.deploy.Template.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import jakarta.inject.Named;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import cloud.phonematch.verify.support.ProjectRoot;
import cloud.phonematch.verify.handler.VerificationHandler;

/**
 * The function resource of template.yaml against the build: handler, runtime and code for every Runtime, its
 * tracing, its log group and its alarms. Plain JUnit: no Quarkus application is started.
 */
@ExtendWith(DeploymentFiles.Loaded.class)
class TemplateFunctionTest {
    @Test
    void handlerRuntimeAndCodeUriAgreeWithTheBuildForEveryRuntime() throws Exception {
        Map<String, Object> jvm = function(Map.of("Runtime", "jvm"));
        assertEquals("java21", jvm.get("Runtime"));
        assertEquals(JVM_HANDLER, jvm.get("Handler"));
        assertEquals(CODE_URI, jvm.get("CodeUri"));
        assertEquals(Map.of("ApplyOn", "PublishedVersions"), jvm.get("SnapStart"));

        Map<String, Object> jvm25 = function(Map.of("Runtime", "jvm25"));
        assertEquals("java25", jvm25.get("Runtime"));
        assertEquals(JVM_HANDLER, jvm25.get("Handler"));
        assertEquals(CODE_URI, jvm25.get("CodeUri"));
        assertEquals(Map.of("ApplyOn", "PublishedVersions"), jvm25.get("SnapStart"));

        // The native executable and the jvm-aot zip's script both run as the zip's own bootstrap on the OS-only
        // runtime, where SnapStart is not offered.
        for (String bootstrapped : List.of("native", "jvm-aot")) {
            Map<String, Object> fn = function(Map.of("Runtime", bootstrapped));
            assertEquals("provided.al2023", fn.get("Runtime"), bootstrapped);
            assertEquals(NATIVE_HANDLER, fn.get("Handler"), bootstrapped);
            assertEquals(CODE_URI, fn.get("CodeUri"), bootstrapped);
            assertEquals(Map.of("ApplyOn", "None"), fn.get("SnapStart"), bootstrapped);
        }
        assertEquals(List.of("native", "jvm", "jvm25", "jvm-aot"),
                map(template.parameters().get("Runtime"), "Runtime").get("AllowedValues"));

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
        try (InputStream in = TemplateFunctionTest.class.getResourceAsStream("/application.properties")) {
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
}
