package cloud.phonematch.verify.priming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import cloud.phonematch.verify.secrets.SecretReadRehearsal;
import cloud.phonematch.verify.secrets.SecretsManagerAccess;
import cloud.phonematch.verify.upstream.ApiCallRehearsal;
import cloud.phonematch.verify.upstream.VerificationApiClientFactory;

/**
 * What every init that primes at startup must show, whatever its kind: one rehearsal, and none of the function's own
 * clients built.
 */
final class StartupRehearsal {
    private StartupRehearsal() {
    }

    /** The startup's rehearsal, checked: one secret read and one API call, both played by the loopback server. */
    static Rehearsed ranOnceWithoutTheFunctionsClients(Priming priming, VerificationApiClientFactory apiClients,
            SecretsManagerAccess secrets) {
        Rehearsed startup = priming.last().orElseThrow(() -> new AssertionError("not primed"));
        assertEquals(1, startup.answered(SecretReadRehearsal.SERVICE), "one GetSecretValue answered by the loopback server");
        assertEquals(1, startup.answered(ApiCallRehearsal.SERVICE), "one API call answered by the loopback server");
        assertEquals(0, startup.unknown(), "every request was one the server plays");
        assertFalse(apiClients.built(), "the function's API client is still built on first use");
        assertFalse(secrets.connected(), "the function's Secrets Manager client is still set up on first use");
        return startup;
    }
}
