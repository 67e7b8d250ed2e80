package cloud.phonematch.verify.priming;

import static cloud.phonematch.verify.support.TestPeople.MOBILE;
import static cloud.phonematch.verify.support.TestPeople.NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cloud.phonematch.verify.records.ClaimAndSettleRehearsal;
import cloud.phonematch.verify.secrets.SecretsManagerAccess;
import cloud.phonematch.verify.support.ApiStubs;
import cloud.phonematch.verify.support.Events;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Fakes;
import cloud.phonematch.verify.support.Lambda;
import cloud.phonematch.verify.support.SecretsManagerStubs;
import cloud.phonematch.verify.upstream.VerificationApi;
import cloud.phonematch.verify.upstream.VerificationApiClientFactory;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Where no caller waits for the init (provisioned concurrency), the startup rehearses the path end to end, then sets up
 * the function's own clients, which the first invocation calls through.
 */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
@TestProfile(ProvisionedConcurrencyPrimingTest.Provisioned.class)
class ProvisionedConcurrencyPrimingTest {

    public static class Provisioned implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("priming.request-path.enabled", "true",
                    "aws.lambda.initialization-type", "provisioned-concurrency");
        }
    }

    @Inject
    Priming priming;

    @Inject
    VerificationApiClientFactory apiClients;

    @Inject
    SecretsManagerAccess secrets;

    @Test
    void theStartupRehearsesThePathAgainstTheLoopbackServer() {
        Rehearsed startup = StartupRehearsal.ranOnceAndSetUpTheFunctionsClients(priming, apiClients,
                secrets);

        assertEquals(0, startup.answered(ClaimAndSettleRehearsal.SERVICE), "no records table in this configuration");
        assertEquals(0, startup.leftOpen(), "no connection left open");
        assertTrue(startup.stopped(), "the loopback server stopped");
        assertTrue(priming.beforeSnapshot().isEmpty(), "once per process");
    }

    @Test
    void theFunctionsClientsSetUpAtInitAnswerTheFirstInvocation() {
        assertTrue(apiClients.built());
        assertEquals(0, SecretsManagerStubs.calls(), "set up, the client read nothing");
        assertEquals(0, ApiStubs.calls().size(), "set up, the client sent nothing");
        VerificationApi setUp = apiClients.api();
        Fakes.reset();
        ApiStubs.answer(ApiStubs.result("0"));

        assertEquals("CONSISTENT", Lambda.direct(Events.direct(NAME, MOBILE)).path("status").asText());
        assertSame(setUp, apiClients.api(), "the first invocation used the client set up at init");
        assertEquals(1, SecretsManagerStubs.calls(), "the token read through the client set up at init");
        assertEquals(1, ApiStubs.calls().size(), "the API called through the client set up at init");
    }
}
