package cloud.phonematch.verify.secrets;

import io.quarkus.arc.Arc;

/** Test seam: makes the running function forget its cached token, as a fresh container would. */
public final class TokenCache {
    private TokenCache() {
    }

    public static void forget() {
        Arc.container().instance(SecretsManagerTokenSource.class).get().forget();
    }
}
