package cloud.phonematch.verify.deploy;

import static cloud.phonematch.verify.deploy.DeploymentFiles.deployable;
import static cloud.phonematch.verify.deploy.DeploymentFiles.ruleViolations;
import static cloud.phonematch.verify.deploy.DeploymentFiles.template;
import static cloud.phonematch.verify.deploy.Template.list;
import static cloud.phonematch.verify.deploy.Template.map;
import static cloud.phonematch.verify.deploy.Template.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.config.WithDefault;

import cloud.phonematch.verify.records.RecordsSettings;

/**
 * What the template does about spend: a finite daily budget for all callers and one per caller by default, both
 * needing the records table; an API without authorization only when the deployer says so; and a Contributor Insights
 * rule that counts charged answers per caller from the function's summary lines.
 */
@ExtendWith(DeploymentFiles.Loaded.class)
class SpendLimitsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String INSIGHT_RULE = "BillableByCallerRule";

    @Test
    void theBudgetsAreFiniteByDefaultAndTheTemplatesDefaultsAreTheCodes() throws NoSuchMethodException {
        Map<String, Object> daily = map(template.parameters().get("DailyBudget"), "DailyBudget");
        Map<String, Object> perCaller = map(template.parameters().get("CallerDailyBudget"), "CallerDailyBudget");
        assertEquals(1000, daily.get("Default"));
        assertEquals(100, perCaller.get("Default"));
        assertEquals("Number", perCaller.get("Type"));
        assertEquals(0, perCaller.get("MinValue"));
        assertEquals(codeDefault("dailyBudget"), String.valueOf(daily.get("Default")));
        assertEquals(codeDefault("callerDailyBudget"), String.valueOf(perCaller.get("Default")));
        Map<String, Object> env = DeploymentFiles.environment(Map.of());
        assertEquals("1000", env.get("VERIFY_DAILY_BUDGET"));
        assertEquals("100", env.get("VERIFY_CALLER_DAILY_BUDGET"));
        assertEquals(ref("CallerDailyBudget"),
                map(map(template.properties(DeploymentFiles.FUNCTION).get("Environment"), "env").get("Variables"), "vars")
                        .get("VERIFY_CALLER_DAILY_BUDGET"));
    }

    /** Without the shared table each container would count for itself: either budget needs it. */
    @Test
    void eitherBudgetNeedsTheRecordsTable() {
        String rule = "BudgetNeedsTheRecordsTable";
        assertTrue(violates(Map.of("Records", "off"), rule), "the default budgets without the table");
        assertTrue(violates(Map.of("Records", "off", "DailyBudget", "0"), rule), "the per-caller budget alone");
        assertTrue(violates(Map.of("Records", "off", "CallerDailyBudget", "0"), rule), "the daily budget alone");
        assertFalse(violates(Map.of("Records", "off", "DailyBudget", "0", "CallerDailyBudget", "0"), rule));
        assertFalse(violates(Map.of(), rule), "the defaults, with the table");
        assertFalse(violates(Map.of("Upstream", "sandbox", "Records", "off"), rule), "the sandbox charges nothing");
    }

    @Test
    void anApiWithoutAuthorizationNeedsAnExplicitAllowance() {
        String rule = "UnauthenticatedNeedsAcknowledgement";
        Map<String, Object> allow = map(template.parameters().get("AllowUnauthenticated"), "AllowUnauthenticated");
        assertEquals("false", allow.get("Default"));
        assertEquals(List.of("false", "true"), allow.get("AllowedValues"));
        assertEquals("IAM", map(template.parameters().get("Auth"), "Auth").get("Default"));

        assertTrue(violates(Map.of("Auth", "NONE"), rule));
        assertTrue(violates(Map.of("Auth", "NONE", "AllowUnauthenticated", "false"), rule));
        assertFalse(violates(Map.of("Auth", "NONE", "AllowUnauthenticated", "true"), rule));
        assertFalse(violates(Map.of("Auth", "IAM"), rule));
        assertFalse(violates(Map.of("Auth", "JWT"), rule));
        assertEquals(List.of(), ruleViolations(deployable(Map.of())), "the defaults deploy");
        Map<String, Object> assertion = map(list(map(template.section("Rules").get(rule), rule).get("Assertions")).get(0),
                "assertion");
        String description = String.valueOf(assertion.get("AssertDescription"));
        assertTrue(description.contains("AllowUnauthenticated=true") && description.contains("Auth=NONE"), description);
    }

    /** The rule, with the log group's name substituted, is a valid Contributor Insights rule over the summary line. */
    @Test
    void theInsightRuleCountsChargedAnswersPerCallerInTheFunctionsLog() throws Exception {
        assertEquals("AWS::CloudWatch::InsightRule", template.type(INSIGHT_RULE));
        Map<String, Object> p = template.properties(INSIGHT_RULE);
        assertEquals(Map.of("Fn::Sub", "${AWS::StackName}-billable-by-caller"), p.get("RuleName"));
        assertEquals("ENABLED", p.get("RuleState"));
        String body = String.valueOf(map(p.get("RuleBody"), "RuleBody").get("Fn::Sub"));
        JsonNode rule = JSON.readTree(body.replace("${VerifyLogGroup}", "/aws/lambda/verify-prod-verify"));

        assertEquals("CloudWatchLogRule", rule.at("/Schema/Name").asText());
        assertEquals(1, rule.at("/Schema/Version").asInt());
        assertEquals("JSON", rule.path("LogFormat").asText());
        assertEquals("[\"/aws/lambda/verify-prod-verify\"]", rule.path("LogGroupNames").toString());
        assertEquals("Count", rule.path("AggregateOn").asText());
        assertEquals("[\"$.mdc.caller\"]", rule.at("/Contribution/Keys").toString());
        Map<String, String> filters = new HashMap<>();
        for (JsonNode f : rule.at("/Contribution/Filters")) {
            assertEquals(1, f.path("In").size(), f.toString());
            filters.put(f.path("Match").asText(), f.path("In").get(0).asText());
        }
        assertEquals(Map.of("$.loggerName", summaryLogger(), "$.mdc.billable", "true"), filters);
        // The only substitution is the function's own log group.
        assertEquals(1, body.split("\\$\\{", -1).length - 1, body);
        assertTrue(body.contains("${VerifyLogGroup}"));
    }

    @Test
    void theInsightRuleExistsOutsideTheChinaRegionsOnly() {
        Object condition = template.resource(INSIGHT_RULE).get("Condition");
        assertEquals("HasContributorInsights", condition);
        assertEquals(Map.of("Fn::Not", List.of(Map.of("Condition", "InChina"))), template.conditions().get(condition));
    }

    private static boolean violates(Map<String, String> overrides, String rule) {
        return ruleViolations(deployable(overrides)).stream().anyMatch(v -> v.startsWith(rule + ":"));
    }

    private static String codeDefault(String method) throws NoSuchMethodException {
        return RecordsSettings.class.getMethod(method).getAnnotation(WithDefault.class).value();
    }

    /** The logger name of the function's one summary line per invocation. */
    private static String summaryLogger() throws ReflectiveOperationException {
        Field f = Class.forName("cloud.phonematch.verify.observability.InvocationSummary").getDeclaredField("SUMMARY_LOGGER");
        f.setAccessible(true);
        return (String) f.get(null);
    }
}
