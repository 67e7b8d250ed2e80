package cloud.phonematch.verify.support;

import cloud.phonematch.verify.secrets.TokenCache;

/** Puts the fakes and the function's token cache back to a known state before a test. */
public final class Fakes {
    private Fakes() {
    }

    /** Both fakes emptied, the secret holding {@link TestPeople#TOKEN}, the function's cache cold. */
    public static void reset() {
        FakeApis.api().resetAll();
        FakeApis.secretsManager().resetAll();
        SecretsManagerStubs.holds(TestPeople.TOKEN);
        TokenCache.forget();
    }
}
