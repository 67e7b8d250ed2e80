package cloud.phonematch.verify.secrets;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The API token: which secret holds it, its fields, how long it is kept and how long a read may take.
 * <p>
 * Under the prefix {@code verify}, as every setting of the function: SmallRye maps each to an environment variable
 * by upper-casing and replacing dots and dashes with underscores ({@code verify.api-base-url} is
 * {@code VERIFY_API_BASE_URL}).
 */
@ConfigMapping(prefix = "verify")
public interface TokenSettings {
    /** Name or ARN of the secret holding the API token. Required when the API is live. */
    Optional<String> tokenSecretId();

    /** When the secret is a JSON object, the field that holds the token. */
    @WithDefault("token")
    String tokenSecretField();

    /**
     * When the secret is a JSON object, the field that holds the hash key of the shared records' HMACs (needed
     * only with a records table; a token rotation must keep it, since a new hash key forgets every record).
     */
    @WithDefault("hash_key")
    String hashKeyField();

    /** How long a fetched token is used before Secrets Manager is asked again. */
    @WithDefault("300s")
    Duration tokenCacheTtl();

    /**
     * How long past {@link #tokenCacheTtl()} a cached token is still used while Secrets Manager is unavailable
     * (throttling, 5xx, unreachable, too slow). The API itself rejects a token that was rotated away, and that
     * rejection re-reads the secret; this bound keeps a container from running on an old token indefinitely.
     */
    @WithDefault("1h")
    Duration tokenStaleLimit();

    /**
     * Upper bound of one call to Secrets Manager (retried on throttling and 5xx, see SecretsManagerAccess); each
     * call also ends in time for one call to the API before the invocation's deadline.
     */
    @WithDefault("1s")
    Duration secretTimeout();
}
