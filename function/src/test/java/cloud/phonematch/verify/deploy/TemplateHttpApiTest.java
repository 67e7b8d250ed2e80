package cloud.phonematch.verify.deploy;

import static cloud.phonematch.verify.deploy.DeploymentFiles.FUNCTION;
import static cloud.phonematch.verify.deploy.DeploymentFiles.deployable;
import static cloud.phonematch.verify.deploy.DeploymentFiles.template;
import static cloud.phonematch.verify.deploy.Template.list;
import static cloud.phonematch.verify.deploy.Template.map;
import static cloud.phonematch.verify.deploy.Template.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP API of template.yaml: every route reaches the function's alias with the authorization the Auth
 * parameter chooses, and the stage throttles with the parameters. Plain JUnit.
 */
@ExtendWith(DeploymentFiles.Loaded.class)
class TemplateHttpApiTest {
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
}
