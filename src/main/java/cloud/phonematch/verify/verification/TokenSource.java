package cloud.phonematch.verify.verification;

import java.util.Optional;

/** Where the API token comes from (Secrets Manager in production). */
public interface TokenSource {

    /** The token to use now, from a cache when it is fresh. Failures are {@code CONFIGURATION}. */
    ApiToken current();

    /**
     * Called once when the API rejected {@code rejected}: fetch the secret again, bypassing the cache.
     *
     * @return the new token when the secret was rotated, empty when it still holds the rejected one
     */
    Optional<ApiToken> refreshAfterRejection(ApiToken rejected);
}
