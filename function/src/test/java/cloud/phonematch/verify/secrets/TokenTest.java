package cloud.phonematch.verify.secrets;

import static cloud.phonematch.verify.support.TestPeople.MOBILE;
import static cloud.phonematch.verify.support.TestPeople.NAME;
import static cloud.phonematch.verify.support.TestPeople.ROTATED_TOKEN;
import static cloud.phonematch.verify.support.TestPeople.TOKEN;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import cloud.phonematch.verify.support.ApiStubs;
import cloud.phonematch.verify.support.Events;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Fakes;
import cloud.phonematch.verify.support.Lambda;
import cloud.phonematch.verify.support.SecretsManagerStubs;
import cloud.phonematch.verify.support.SignedAsReceived;
import cloud.phonematch.verify.support.TestPeople;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/** The token: fetched lazily, cached per container, re-fetched once when the API rejects it. */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
class TokenTest {

    @BeforeEach
    void reset() {
        Fakes.reset();
    }

    @Test
    void oneSecretsManagerCallAcrossManyInvocations() {
        ApiStubs.answer(ApiStubs.result("0"));

        for (int i = 0; i < 6; i++) {
            assertEquals("CONSISTENT", Lambda.direct(Events.direct(NAME, MOBILE)).path("status").asText());
        }

        assertEquals(1, SecretsManagerStubs.calls());
        assertEquals(6, ApiStubs.calls().size());
    }

    @Test
    void rotatedSecretIsPickedUpAndTheCallRetriedOnce() {
        SecretsManagerStubs.rotate(TOKEN, ROTATED_TOKEN);
        FakeApis.api().stubFor(ApiStubs.check().withHeader("authorization", equalTo("Bearer " + TOKEN))
                .willReturn(ApiStubs.error(401, "invalid_token")));
        FakeApis.api().stubFor(ApiStubs.check().withHeader("authorization", equalTo("Bearer " + ROTATED_TOKEN))
                .willReturn(ApiStubs.result("1")));

        JsonNode out = Lambda.direct(Events.direct(NAME, MOBILE));

        assertEquals("INCONSISTENT", out.path("status").asText());
        assertEquals(2, out.path("attempts").asInt());
        assertEquals(2, ApiStubs.calls().size());
        assertEquals(2, SecretsManagerStubs.calls());
        // The rotated token is now cached.
        Lambda.direct(Events.direct(NAME, MOBILE));
        assertEquals(2, SecretsManagerStubs.calls());
    }

    @ParameterizedTest(name = "{0} {1} with an unchanged secret -> UPSTREAM_AUTH")
    @CsvSource({ "401, invalid_token", "400, token_mismatched" })
    void rejectedTokenThatWasNotRotatedIsUpstreamAuth(int status, String code) {
        ApiStubs.answer(ApiStubs.error(status, code));

        Lambda.FunctionError failure = Lambda.directFailure(Events.direct(NAME, MOBILE));

        assertEquals("cloud.phonematch.verify.output.UpstreamAuthException", failure.errorType());
        assertEquals(code, failure.error().path("upstream_code").asText());
        assertEquals(1, ApiStubs.calls().size(), "no second call with the same token");
        assertEquals(2, SecretsManagerStubs.calls(), "one fetch plus the one re-fetch");
    }

    @Test
    void rotatedTokenAlsoRejectedIsUpstreamAuthAfterTwoCalls() {
        SecretsManagerStubs.rotate(TOKEN, ROTATED_TOKEN);
        ApiStubs.answer(ApiStubs.error(401, "invalid_token"));

        Lambda.FunctionError failure = Lambda.directFailure(Events.direct(NAME, MOBILE));

        assertEquals("UPSTREAM_AUTH", failure.error().path("type").asText());
        assertEquals(2, ApiStubs.calls().size());
    }

    @Test
    void jsonSecretAndPlainSecretBothWork() {
        FakeApis.secretsManager().resetAll();
        SecretsManagerStubs.holds(TestPeople.SECRET_JSON);
        FakeApis.api().stubFor(ApiStubs.check().withHeader("authorization", equalTo("Bearer " + TOKEN))
                .willReturn(ApiStubs.result("0")));

        assertEquals("CONSISTENT", Lambda.direct(Events.direct(NAME, MOBILE)).path("status").asText());

        TokenCache.forget();
        FakeApis.secretsManager().resetAll();
        SecretsManagerStubs.holds("  " + TOKEN + "\n");
        assertEquals("CONSISTENT", Lambda.direct(Events.direct(NAME, MOBILE)).path("status").asText());
    }

    /**
     * The GetSecretValue request as Secrets Manager receives it carries a valid SigV4 signature: the SDK's signer,
     * run here on the received request (its Host, date, target and body, the test credentials), must produce the
     * very Authorization header that was sent. So the client sent exactly what was signed.
     */
    @Test
    void theSecretsManagerRequestIsSignedAsReceived() {
        ApiStubs.answer(ApiStubs.result("0"));
        Lambda.direct(Events.direct(NAME, MOBILE));

        LoggedRequest received = FakeApis.secretsManager().findAll(SecretsManagerStubs.getSecretValueRequests()).get(0);
        String authorization = received.getHeader("Authorization");
        assertTrue(authorization.startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLETEST/"), authorization);
        assertTrue(authorization.contains("/cn-north-1/secretsmanager/aws4_request"), authorization);
        String signedHeaders = authorization.replaceFirst(".*SignedHeaders=([^,]+),.*", "$1");
        assertEquals(List.of("host", "x-amz-content-sha256", "x-amz-date", "x-amz-target"),
                List.of(signedHeaders.split(";")));
        assertEquals("secretsmanager.GetSecretValue", received.getHeader("X-Amz-Target"));
        assertEquals("application/x-amz-json-1.1", received.getHeader("Content-Type"));
        assertEquals("{\"SecretId\":\"" + FakeApis.SECRET_ID + "\"}", received.getBodyAsString());

        AwsBasicCredentials credentials = AwsBasicCredentials.create("AKIDEXAMPLETEST", "test-secret-access-key");
        assertEquals(SignedAsReceived.authorization(received, credentials, "secretsmanager", "cn-north-1"),
                authorization);
    }
}
