package cloud.phonematch.verify.priming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cloud.phonematch.verify.records.ClaimAndSettleRehearsal;
import cloud.phonematch.verify.secrets.SecretsManagerAccess;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.upstream.VerificationApiClientFactory;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Where no caller waits for the init (provisioned concurrency), the startup rehearses the path end to end. */
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
        Rehearsed startup = StartupRehearsal.ranOnceWithoutTheFunctionsClients(priming, apiClients,
                secrets);

        assertEquals(0, startup.answered(ClaimAndSettleRehearsal.SERVICE), "no records table in this configuration");
        assertEquals(0, startup.leftOpen(), "no connection left open");
        assertTrue(startup.stopped(), "the loopback server stopped");
        assertTrue(priming.beforeSnapshot().isEmpty(), "once per process");
    }
}
