package cloud.phonematch.verify.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import cloud.phonematch.verify.json.Json;

/** Secrets Manager's GetSecretValue as the SDK speaks it: AWS JSON 1.1, one POST to "/" with a target header. */
public final class SecretsManagerStubs {
    private static final String TARGET = "secretsmanager.GetSecretValue";

    private SecretsManagerStubs() {
    }

    public static MappingBuilder getSecretValue() {
        return post(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo(TARGET))
                .withHeader("Content-Type", equalTo("application/x-amz-json-1.1"));
    }

    public static RequestPatternBuilder getSecretValueRequests() {
        return postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(TARGET));
    }

    public static ResponseDefinitionBuilder secretString(String value) {
        ObjectNode body = Json.object();
        body.put("ARN", "arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:" + FakeApis.SECRET_ID + "-AbCdEf");
        body.put("Name", FakeApis.SECRET_ID);
        body.put("VersionId", "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111");
        body.put("SecretString", value);
        body.putArray("VersionStages").add("AWSCURRENT");
        body.put("CreatedDate", 1.7e9);
        return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody(Json.write(body));
    }

    public static ResponseDefinitionBuilder awsError(int status, String type) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody("{\"__type\":\"" + type + "\",\"message\":\"test error\"}");
    }

    /** The secret holds {@code first} until it is read once, then {@code second} (a rotation). */
    public static void rotate(String first, String second) {
        firstThen(secretString(first), secretString(second));
    }

    /** GetSecretValue answers {@code first} once, then {@code then} for every later read. */
    public static void firstThen(ResponseDefinitionBuilder first, ResponseDefinitionBuilder then) {
        var sm = FakeApis.secretsManager();
        sm.stubFor(getSecretValue().inScenario("first-then").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(first).willSetStateTo("then"));
        sm.stubFor(getSecretValue().inScenario("first-then").whenScenarioStateIs("then").willReturn(then));
    }

    public static void holds(String value) {
        FakeApis.secretsManager().stubFor(getSecretValue().willReturn(secretString(value)));
    }

    public static int calls() {
        return FakeApis.secretsManager().countRequestsMatching(getSecretValueRequests().build()).getCount();
    }
}
