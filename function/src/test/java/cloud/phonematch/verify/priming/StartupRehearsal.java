package cloud.phonematch.verify.priming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.phonematch.verify.secrets.SecretReadRehearsal;
import cloud.phonematch.verify.secrets.SecretsManagerAccess;
import cloud.phonematch.verify.upstream.ApiCallRehearsal;
import cloud.phonematch.verify.upstream.VerificationApiClientFactory;

/**
 * What every init that primes at startup and takes no snapshot must show, whatever its kind: one rehearsal, and the
 * function's own clients set up after it, for the first invocation to use.
 */
final class StartupRehearsal {
    private StartupRehearsal() {
    }

    /**
     * The startup's rehearsal, checked: one secret read and one API call, both played by the loopback server; then the
     * function's clients set up.
     */
    static Rehearsed ranOnceAndSetUpTheFunctionsClients(Priming priming, VerificationApiClientFactory apiClients,
            SecretsManagerAccess secrets) {
        Rehearsed startup = priming.last().orElseThrow(() -> new AssertionError("not primed"));
        assertEquals(1, startup.answered(SecretReadRehearsal.SERVICE), "one GetSecretValue answered by the loopback server");
        assertEquals(1, startup.answered(ApiCallRehearsal.SERVICE), "one API call answered by the loopback server");
        assertEquals(0, startup.unknown(), "every request was one the server plays");
        assertTrue(apiClients.built(), "the function's API client is built at init");
        assertTrue(secrets.connected(), "the function's Secrets Manager client is set up at init");
        return startup;
    }
}
