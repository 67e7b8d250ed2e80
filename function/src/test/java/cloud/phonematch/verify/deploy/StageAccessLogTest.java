package cloud.phonematch.verify.deploy;

import static cloud.phonematch.verify.deploy.DeploymentFiles.template;
import static cloud.phonematch.verify.deploy.Template.list;
import static cloud.phonematch.verify.deploy.Template.map;
import static cloud.phonematch.verify.deploy.Template.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The HTTP API stage's access log: one JSON object per request in a log group of the stack, kept
 * {@code LogRetentionDays}, saying who called (IAM caller and principal, JWT issuer and subject, source IP), which
 * route and with what result and latency, and nothing of the request's body.
 */
class StageAccessLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A field's whole value: one $context variable. */
    private static final Pattern ONE_VARIABLE = Pattern.compile("\\$context\\.[A-Za-z]+(\\.[A-Za-z]+)*");

    /**
     * The $context variables of HTTP APIs' access logs this format may use (API Gateway's "Customize HTTP API access
     * logs"); none of them holds the request body.
     */
    static final Set<String> HTTP_API_VARIABLES = Set.of("$context.requestId", "$context.requestTime",
            "$context.requestTimeEpoch", "$context.routeKey", "$context.httpMethod", "$context.path",
            "$context.protocol", "$context.status", "$context.responseLength", "$context.responseLatency",
            "$context.integrationLatency", "$context.integrationStatus", "$context.integrationErrorMessage",
            "$context.identity.sourceIp", "$context.identity.userAgent", "$context.identity.accountId",
            "$context.identity.caller", "$context.identity.user", "$context.identity.userArn",
            "$context.authorizer.claims.iss", "$context.authorizer.claims.sub", "$context.authorizer.error",
            "$context.error.message", "$context.error.responseType", "$context.domainName", "$context.stage");

    private static Map<String, Object> settings;
    private static JsonNode format;

    @BeforeAll
    static void load() throws IOException {
        DeploymentFiles.load();
        settings = map(template.properties("HttpApiStage").get("AccessLogSettings"), "HttpApiStage.AccessLogSettings");
        format = JSON.readTree((String) settings.get("Format"));
    }

    @Test
    void theStageLogsToALogGroupOfItsOwnKeptLogRetentionDays() {
        Object destination = settings.get("DestinationArn");
        String group = (String) list(map(destination, "DestinationArn").get("Fn::GetAtt")).get(0);
        assertEquals(Map.of("Fn::GetAtt", java.util.List.of(group, "Arn")), destination);
        assertEquals("AWS::Logs::LogGroup", template.type(group));
        assertEquals(ref("LogRetentionDays"), template.properties(group).get("RetentionInDays"));
        for (String other : template.ofType("AWS::Logs::LogGroup")) {
            if (!other.equals(group)) {
                assertTrue(!template.properties(other).get("LogGroupName").equals(template.properties(group).get("LogGroupName")),
                        "shared with " + other);
            }
        }
    }

    @Test
    void eachLineIsAJsonObjectOfContextVariablesOnly() {
        assertTrue(format.isObject(), String.valueOf(format));
        Set<String> unknown = new TreeSet<>();
        format.fields().forEachRemaining(e -> {
            String value = e.getValue().asText();
            assertTrue(e.getValue().isTextual() && ONE_VARIABLE.matcher(value).matches(), e.getKey() + ": " + value);
            if (!HTTP_API_VARIABLES.contains(value)) {
                unknown.add(value);
            }
        });
        assertEquals(Set.of(), unknown, "variables not in the list of HTTP APIs' access-log variables");
    }

    @Test
    void eachLineSaysWhoCalledWhatAndHowItWent() {
        Map<String, String> byVariable = new LinkedHashMap<>();
        format.fields().forEachRemaining(e -> byVariable.put(e.getValue().asText(), e.getKey()));
        for (String needed : new String[] { "$context.requestId", "$context.routeKey", "$context.status",
                "$context.responseLatency", "$context.integrationLatency", "$context.identity.sourceIp",
                "$context.identity.caller", "$context.identity.userArn", "$context.authorizer.claims.iss",
                "$context.authorizer.claims.sub" }) {
            assertTrue(byVariable.containsKey(needed), needed + " is missing from " + format);
        }
    }

    @Test
    void noFieldHoldsTheBodyOrAHeader() {
        String text = format.toString().toLowerCase(java.util.Locale.ROOT);
        for (String forbidden : new String[] { "body", "$input", "$request", "header", "querystring" }) {
            assertTrue(!text.contains(forbidden), forbidden + " in " + format);
        }
    }
}
