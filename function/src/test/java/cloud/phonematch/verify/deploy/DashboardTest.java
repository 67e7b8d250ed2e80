package cloud.phonematch.verify.deploy;

import static cloud.phonematch.verify.deploy.Template.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.deploy.Dashboard.LogQuery;
import cloud.phonematch.verify.deploy.Dashboard.MetricUse;
import cloud.phonematch.verify.handler.EventSource;
import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.VerificationStatus;
import cloud.phonematch.verify.support.ApiStubs;
import cloud.phonematch.verify.support.Events;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Fakes;
import cloud.phonematch.verify.support.Lambda;
import cloud.phonematch.verify.support.RecordedLogs;
import cloud.phonematch.verify.support.StdoutRecorder;
import cloud.phonematch.verify.support.TestPeople;
import cloud.phonematch.verify.upstream.CircuitBreakingVerificationGateway;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The dashboard in template.yaml against what the function really writes: the function runs through answers and
 * failures (and its circuit opens once), its EMF objects and log messages are recorded, and every metric a widget
 * names must be one of those objects' (metric, dimension set), every fixed dimension value one the code can emit,
 * and the circuit widget's query must count the opening and nothing else. Then the plain template checks: JSON
 * after substitution in either partition, Lambda's metrics for this function, the price parameter, the output URL.
 */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
@QuarkusTestResource(value = StdoutRecorder.class, restrictToAnnotatedClass = true)
@TestProfile(DashboardTest.SmallCircuitWindow.class)
class DashboardTest {
    static final String DASHBOARD = "VerifyDashboard";

    /** One call per invocation, and a circuit that opens after two failures in four calls, for one second. */
    public static class SmallCircuitWindow implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("verify.circuit-request-volume", "4", "verify.circuit-failure-ratio", "0.5",
                    "verify.circuit-delay", "1s", "verify.max-attempts", "1");
        }
    }

    /** The AWS/Lambda metrics a widget may name (Lambda's function metrics the dashboard uses). */
    static final Set<String> LAMBDA_METRICS = Set.of("Invocations", "Errors", "Throttles", "Duration",
            "ConcurrentExecutions");

    /** Every value the code can give each EMF dimension. */
    static final Map<String, Set<String>> DIMENSION_VALUES = Map.of(
            "Status", Stream.concat(Arrays.stream(VerificationStatus.values()).map(Enum::name),
                    Arrays.stream(ErrorType.values()).map(Enum::name)).collect(Collectors.toSet()),
            "Source", Arrays.stream(EventSource.values()).map(EventSource::label).collect(Collectors.toSet()));

    static final Map<String, String> AWS = Map.of("AWS::Partition", "aws", "AWS::Region", "us-east-1",
            "AWS::URLSuffix", "amazonaws.com", "AWS::StackName", "verify-prod", "AWS::AccountId", "123456789012");
    static final Map<String, String> AWS_CN = Map.of("AWS::Partition", "aws-cn", "AWS::Region", "cn-north-1",
            "AWS::URLSuffix", "amazonaws.com.cn", "AWS::StackName", "verify-prod", "AWS::AccountId", "123456789012");

    /** A metric as the function's EMF directives declare it. */
    record Emitted(String namespace, String metric, Set<String> dimensions) {
    }

    /** What the function wrote during {@link #run()}. */
    record Written(Set<Emitted> metrics, Map<String, Set<String>> dimensionValues,
            List<RecordedLogs.Message> messages) {
    }

    static Template template;
    private static Written written;

    @BeforeAll
    static void load() throws Exception {
        DeploymentFiles.load();
        template = DeploymentFiles.template;
    }

    // ------------------------------------------------------------------ against what the function writes

    @Test
    void everyMetricTheDashboardNamesIsOneTheFunctionEmitsOrLambdasForThisFunction() {
        Written w = written();
        assertTrue(w.dimensionValues().get("Status").containsAll(Set.of("CONSISTENT", "INCONSISTENT", "INVALID_NAME",
                "INVALID_REQUEST", "UPSTREAM_UNAVAILABLE")), "the run gave answers and failures: " + w.dimensionValues());
        assertTrue(w.dimensionValues().get("Source").containsAll(Set.of("direct", "http-v2")), w.dimensionValues().toString());

        List<MetricUse> uses = Dashboard.metricUses(body(AWS_CN, Map.of()));
        assertEquals(List.of(), problems(uses, w));
        Set<String> ours = uses.stream().filter(u -> u.namespace().equals(namespace())).map(MetricUse::metric)
                .collect(Collectors.toSet());
        assertTrue(ours.containsAll(Set.of("Verifications", "Errors", "Billable", "OutcomeUnknown", "UpstreamLatency")),
                "widgets for verifications, failures, billable answers and upstream latency: " + ours);
    }

    @Test
    void theMetricCheckFlagsATypoInAMetricADimensionOrAValue() {
        Written w = written();
        String body = Dashboard.bodyText(template, DASHBOARD, values(AWS_CN, Map.of()));
        Map<String, String> typos = new LinkedHashMap<>();
        typos.put("MetricName=\\\"Billable\\\"", "MetricName=\\\"Billables\\\"");
        typos.put("{MobileVerify,Source,Status} MetricName=\\\"Errors\\\"", "{MobileVerify,Status} MetricName=\\\"Errors\\\"");
        typos.put("{MobileVerify,Source,Status} MetricName=\\\"Replayed\\\"", "{MobileVerify,Source,Statuss} MetricName=\\\"Replayed\\\"");
        typos.put("{MobileVerify,Source,Status} MetricName=\\\"Reused\\\"", "{MobileVerfy,Source,Status} MetricName=\\\"Reused\\\"");
        typos.put("NOT Status=\\\"NO_RECORD\\\"", "NOT Status=\\\"NO_RECORDS\\\"");
        typos.put("\"Throttles\", \"FunctionName\"", "\"Throttle\", \"FunctionName\"");
        typos.put("\"ConcurrentExecutions\", \"FunctionName\"", "\"ConcurrentExecutions\", \"Function\"");
        for (var typo : typos.entrySet()) {
            assertTrue(body.contains(typo.getKey()), "the sample typo no longer applies: " + typo.getKey());
            List<String> found = problems(Dashboard.metricUses(Dashboard.parse(body.replace(typo.getKey(), typo.getValue()))), w);
            assertFalse(found.isEmpty(), "not flagged: " + typo.getValue());
        }
    }

    @Test
    void failuresLeaveOutExactlyTheAnswerStatuses() {
        List<MetricUse> errors = Dashboard.metricUses(body(AWS_CN, Map.of())).stream()
                .filter(u -> u.namespace().equals(namespace()) && u.metric().equals("Errors")).toList();
        assertEquals(1, errors.size(), "one search for failures: " + errors);
        assertEquals(Arrays.stream(VerificationStatus.values()).map(Enum::name).collect(Collectors.toSet()),
                errors.get(0).excluded().get("Status"),
                "every answer status and only those (an answer is never a failure type)");
    }

    @Test
    void theCircuitWidgetCountsTheLineLoggedWhenTheCircuitOpensAndNothingElse() {
        Written w = written();
        List<LogQuery> queries = Dashboard.logQueries(body(AWS_CN, Map.of()));
        assertEquals(1, queries.size(), "one log widget: circuit openings");
        LogQuery q = queries.get(0);
        String logGroup = Dashboard.lookup(template, values(AWS_CN, Map.of())).apply("VerifyLogGroup");
        assertEquals(logGroup, q.source(), "reads the function's log group");
        assertTrue(q.query().contains("stats count(*)") && q.query().contains("by bin("), q.query());
        assertEquals(1, q.messagePhrases().size(), q.query());
        String phrase = q.messagePhrases().get(0);
        // @message is the JSON line: the phrase matches it as it matches the message only if JSON escapes none of it.
        assertTrue(phrase.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '"' && c != '\\'), phrase);

        List<RecordedLogs.Message> stateChanges = w.messages().stream()
                .filter(m -> m.logger().equals(CircuitBreakingVerificationGateway.class.getName())).toList();
        List<RecordedLogs.Message> counted = w.messages().stream().filter(m -> m.message().contains(phrase)).toList();
        assertTrue(stateChanges.size() >= 2, "the circuit opened and then closed again: " + stateChanges);
        assertEquals(List.of(stateChanges.get(0)), counted,
                "the query counts the one opening, not the later state changes or any other line");
    }

    // ------------------------------------------------------------------ the template alone

    @Test
    void theBodyIsJsonInBothPartitionsWithEveryWidgetInTheStacksRegionOnTheGrid() {
        for (Map<String, String> partition : List.of(AWS, AWS_CN)) {
            String text = Dashboard.bodyText(template, DASHBOARD, values(partition, Map.of()));
            JsonNode body = Dashboard.parse(text);
            assertTrue(body.path("widgets").size() >= 8, text);
            for (JsonNode widget : body.path("widgets")) {
                assertEquals(partition.get("AWS::Region"), widget.path("properties").path("region").asText(), widget.toString());
                assertTrue(widget.path("x").asInt() + widget.path("width").asInt() <= 24, widget.toString());
            }
            for (String other : List.of("amazonaws.com", "arn:aws", "console.aws")) {
                assertFalse(text.contains(other), "nothing partition-specific in the body: " + other);
            }
        }
        assertEquals(Map.of("Fn::Sub", "${AWS::StackName}-verifications"), template.properties(DASHBOARD).get("DashboardName"));
    }

    @Test
    void lambdaWidgetsShowThisFunctionsTrafficAndItsP50AndP99Duration() {
        List<MetricUse> lambda = Dashboard.metricUses(body(AWS, Map.of())).stream()
                .filter(u -> u.namespace().equals("AWS/Lambda")).toList();
        assertEquals(LAMBDA_METRICS, lambda.stream().map(MetricUse::metric).collect(Collectors.toSet()));
        assertEquals(Set.of("p50", "p99"), lambda.stream().filter(u -> u.metric().equals("Duration"))
                .map(MetricUse::statistic).collect(Collectors.toSet()));
        // problems() holds each one to FunctionName = this function; shown here on a rename of the function.
        Map<String, String> renamed = new HashMap<>(AWS);
        renamed.put("AWS::StackName", "another-stack");
        String otherFunction = Dashboard.lookup(template, values(renamed, Map.of())).apply(DeploymentFiles.FUNCTION);
        assertTrue(lambda.stream().noneMatch(u -> u.fixed().containsValue(otherFunction)));
        assertFalse(lambdaProblems(lambda, otherFunction).isEmpty(), "another function's name is flagged");
    }

    @Test
    void estimatedSpendIsBillableAnswersTimesThePriceParameter() {
        Map<String, Object> price = map(template.parameters().get("PricePerVerification"), "PricePerVerification");
        assertEquals("String", price.get("Type"));
        assertEquals("0", String.valueOf(price.get("Default")), "0 = not set: deploys without it, spend reads 0");
        for (String ok : List.of("0", "0.35", "12", "1.005")) {
            assertEquals(List.of(), DeploymentFiles.parameterProblems("PricePerVerification", ok));
        }
        for (String refused : List.of("", "0,35", "¥0.35", "1e3", "-1", ".5", "0.35 CNY")) {
            assertFalse(DeploymentFiles.parameterProblems("PricePerVerification", refused).isEmpty(), refused);
        }

        JsonNode body = body(AWS_CN, Map.of("PricePerVerification", "0.35"));
        Map<String, JsonNode> rows = Dashboard.expressionRows(body);
        Map<String, String> expressions = new TreeMap<>();
        rows.forEach((id, row) -> expressions.put(id, row.path("expression").asText()));
        Set<String> billableSearches = new TreeSet<>();
        expressions.forEach((id, e) -> {
            if (Dashboard.searches(id, e).stream().anyMatch(u -> u.metric().equals("Billable"))) {
                billableSearches.add(id);
            }
        });
        assertEquals(1, billableSearches.size(), "one search for billable answers: " + expressions);
        String billable = billableSearches.iterator().next();
        Map<String, String> priced = new TreeMap<>();
        expressions.forEach((id, e) -> {
            if (e.contains("0.35")) {
                priced.put(id, e);
            }
        });
        assertFalse(priced.isEmpty(), "the price parameter reaches an expression: " + expressions);
        priced.forEach((id, e) -> assertTrue(e.matches(".*\\b" + billable + "\\b.*\\* 0\\.35$"),
                "a spend line is billable answers times the price: " + id + " = " + e));
        assertTrue(priced.keySet().stream().map(id -> rows.get(id).path("label").asText())
                .anyMatch(l -> l.contains("0.35") && l.contains("currency")),
                "a spend label names the price and says its currency is the parameter's");
    }

    @Test
    void theOutputLinksToTheDashboardInEachPartitionsConsole() {
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("aws", "https://console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=verify-prod-verifications");
        urls.put("aws-cn", "https://console.amazonaws.cn/cloudwatch/home?region=cn-north-1#dashboards:name=verify-prod-verifications");
        urls.put("aws-us-gov", "https://console.amazonaws-us-gov.com/cloudwatch/home?region=us-gov-west-1#dashboards:name=verify-prod-verifications");
        Map<String, String> regions = Map.of("aws", "us-east-1", "aws-cn", "cn-north-1", "aws-us-gov", "us-gov-west-1");
        Map<String, Object> output = map(template.outputs().get("DashboardUrl"), "DashboardUrl");
        urls.forEach((partition, url) -> {
            Map<String, String> pseudo = new HashMap<>(AWS);
            pseudo.put("AWS::Partition", partition);
            pseudo.put("AWS::Region", regions.get(partition));
            Map<String, String> v = values(pseudo, Map.of());
            Object value = map(template.resolve(output, v), "DashboardUrl").get("Value");
            assertEquals(url, Dashboard.sub(map(value, "Value").get("Fn::Sub"), Dashboard.lookup(template, v)), partition);
        });
    }

    // ================================================================== helpers

    /** The namespace the template gives the function's metrics. */
    static String namespace() {
        return String.valueOf(DeploymentFiles.environment(Map.of()).get("VERIFY_METRICS_NAMESPACE"));
    }

    static Map<String, String> values(Map<String, String> pseudo, Map<String, String> overrides) {
        Map<String, String> v = new HashMap<>(DeploymentFiles.deployable(overrides));
        v.putAll(pseudo);
        return v;
    }

    static JsonNode body(Map<String, String> pseudo, Map<String, String> overrides) {
        return Dashboard.body(template, DASHBOARD, values(pseudo, overrides));
    }

    /**
     * Why each metric use is wrong, if it is: in the function's namespace it must be a (metric, dimension set) the
     * function emitted and fix or leave out only values the code can emit; in AWS/Lambda it must be one of
     * {@link #LAMBDA_METRICS} for this function alone; no other namespace.
     */
    static List<String> problems(List<MetricUse> uses, Written w) {
        String functionName = Dashboard.lookup(template, values(AWS_CN, Map.of())).apply(DeploymentFiles.FUNCTION);
        List<String> problems = new ArrayList<>();
        List<MetricUse> lambda = new ArrayList<>();
        for (MetricUse u : uses) {
            if (u.namespace().equals(namespace())) {
                if (!w.metrics().contains(new Emitted(u.namespace(), u.metric(), u.dimensions()))) {
                    problems.add(u.widget() + ": " + u.metric() + " by " + u.dimensions()
                            + " is not a metric the function emits: " + new TreeSet<>(w.metrics().stream()
                                    .map(e -> e.metric() + " by " + e.dimensions()).toList()));
                }
                Map<String, Set<String>> named = new LinkedHashMap<>(u.excluded());
                u.fixed().forEach((d, v) -> named.computeIfAbsent(d, k -> new LinkedHashSet<>()).add(v));
                named.forEach((dimension, values) -> {
                    Set<String> possible = DIMENSION_VALUES.get(dimension);
                    if (!u.dimensions().contains(dimension) || possible == null) {
                        problems.add(u.widget() + ": filters on " + dimension + ", not a dimension of " + u.dimensions());
                    } else {
                        for (String v : values) {
                            if (!possible.contains(v)) {
                                problems.add(u.widget() + ": " + dimension + "=" + v + " is no value the code emits");
                            }
                        }
                    }
                });
            } else if (u.namespace().equals("AWS/Lambda")) {
                lambda.add(u);
            } else {
                problems.add(u.widget() + ": namespace " + u.namespace() + " is neither the function's nor AWS/Lambda");
            }
        }
        problems.addAll(lambdaProblems(lambda, functionName));
        return problems;
    }

    static List<String> lambdaProblems(List<MetricUse> lambda, String functionName) {
        List<String> problems = new ArrayList<>();
        for (MetricUse u : lambda) {
            if (!LAMBDA_METRICS.contains(u.metric())) {
                problems.add(u.widget() + ": AWS/Lambda " + u.metric() + " is not one of " + LAMBDA_METRICS);
            }
            if (!u.fixed().equals(Map.of("FunctionName", functionName))) {
                problems.add(u.widget() + ": AWS/Lambda " + u.metric() + " must name FunctionName=" + functionName
                        + ", not " + u.fixed());
            }
        }
        return problems;
    }

    /** The function's output for one run through answers and failures, recorded once for the class. */
    static synchronized Written written() {
        if (written == null) {
            written = run();
        }
        return written;
    }

    /**
     * Answers from both kinds of caller, a pre-check answer, a refused request, API failures until the circuit
     * opens, one call refused by the open circuit, and a call after the delay that closes it again.
     */
    private static Written run() {
        RecordedLogs logs = RecordedLogs.start();
        int before = StdoutRecorder.lines().size();
        try {
            Fakes.reset();
            String direct = Events.direct(TestPeople.NAME, TestPeople.MOBILE);
            ApiStubs.answer(ApiStubs.result("0"));
            assertEquals("CONSISTENT", Lambda.direct(direct).path("status").asText());
            ApiStubs.answer(ApiStubs.result("1"));
            assertEquals("INCONSISTENT", Lambda.http(Events.httpV2("POST", "/verifications",
                    Events.body(TestPeople.NAME, TestPeople.MOBILE), Map.of())).body().path("status").asText());
            assertEquals("INVALID_NAME",
                    Lambda.direct(Events.direct(TestPeople.INVALID_NAME, TestPeople.MOBILE)).path("status").asText());
            assertEquals(400, Lambda.http(Events.httpV2("POST", "/verifications", "not json", Map.of())).statusCode());

            FakeApis.api().resetAll();
            ApiStubs.answer(ApiStubs.error(503, "unavailable"));
            for (int i = 0; i < 2; i++) {
                assertEquals("UPSTREAM_UNAVAILABLE", Lambda.directFailure(direct).error().path("type").asText());
            }
            assertTrue(Lambda.directFailure(direct).error().path("circuit_open").asBoolean(), "the circuit is open");

            Thread.sleep(1_200);
            FakeApis.api().resetAll();
            ApiStubs.answer(ApiStubs.result("0"));
            assertEquals("CONSISTENT", Lambda.direct(direct).path("status").asText());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            logs.close();
        }

        Set<Emitted> metrics = new LinkedHashSet<>();
        Map<String, Set<String>> dimensionValues = new TreeMap<>();
        List<String> lines = StdoutRecorder.lines();
        for (String line : lines.subList(before, lines.size())) {
            if (!line.startsWith("{")) {
                continue;
            }
            JsonNode emf = readJson(line);
            for (JsonNode directive : emf.path("_aws").path("CloudWatchMetrics")) {
                for (JsonNode set : directive.path("Dimensions")) {
                    Set<String> dimensions = new LinkedHashSet<>();
                    set.forEach(d -> {
                        dimensions.add(d.asText());
                        dimensionValues.computeIfAbsent(d.asText(), k -> new TreeSet<>()).add(emf.path(d.asText()).asText());
                    });
                    directive.path("Metrics").forEach(m -> metrics.add(new Emitted(directive.path("Namespace").asText(),
                            m.path("Name").asText(), dimensions)));
                }
            }
        }
        assertFalse(metrics.isEmpty(), "no EMF object recorded");
        return new Written(metrics, dimensionValues, logs.messages());
    }

    private static JsonNode readJson(String line) {
        try {
            return Json.MAPPER.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
