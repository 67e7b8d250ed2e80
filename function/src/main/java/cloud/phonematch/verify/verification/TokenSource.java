package cloud.phonematch.verify.verification;

import java.util.Optional;

/**
 * Where the API token comes from (Secrets Manager in production). Every read is bounded by the invocation's
 * deadline and leaves time for one call after it.
 * <p>
 * Failures come as {@link FailureException}: {@code SECRETS_UNAVAILABLE} (retryable) when the secret store was
 * throttling, failing or too slow for the time left; {@code CONFIGURATION} when the secret is missing, may not be
 * read, or holds no token. No paid call has been made by then.
 */
public interface TokenSource {

    /** The token to use now, from a cache when it is fresh (or, while the store is unavailable, still usable). */
    ApiToken current(Deadline deadline);

    /**
     * Called once when the API rejected {@code rejected}: fetch the secret again, bypassing the cache.
     *
     * @return the new token when the secret was rotated, empty when it still holds the rejected one
     */
    Optional<ApiToken> refreshAfterRejection(ApiToken rejected, Deadline deadline);
}
