package cloud.phonematch.verify.secrets;

import static cloud.phonematch.verify.support.TestPeople.MOBILE;
import static cloud.phonematch.verify.support.TestPeople.NAME;
import static cloud.phonematch.verify.support.TestPeople.ROTATED_TOKEN;
import static cloud.phonematch.verify.support.TestPeople.TOKEN;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.support.ApiStubs;
import cloud.phonematch.verify.support.Events;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Fakes;
import cloud.phonematch.verify.support.Lambda;
import cloud.phonematch.verify.support.SecretsManagerStubs;
import cloud.phonematch.verify.support.TestPeople;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

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
}
