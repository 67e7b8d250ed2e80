package cloud.phonematch.verify.secrets;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import cloud.phonematch.verify.config.VerifyConfig;
import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.verification.ApiToken;
import cloud.phonematch.verify.verification.FailureException;
import cloud.phonematch.verify.verification.TokenSource;
import cloud.phonematch.verify.verification.Tracing;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The API token from Secrets Manager, cached per container for {@code VERIFY_TOKEN_CACHE_TTL}.
 * <p>
 * Fetched lazily on the first call that needs it, never at start-up, so a SnapStart snapshot never holds
 * the token. A rejection by the API bypasses the cache once, which is how a rotated secret is picked up
 * before the TTL runs out.
 */
@ApplicationScoped
public class SecretsManagerTokenSource implements TokenSource {
    private static final Logger LOG = Logger.getLogger(SecretsManagerTokenSource.class);

    private final VerifyConfig config;
    private final SecretsManagerAccess secrets;
    private final Clock clock;

    private ApiToken cached;
    private Instant cachedAt;

    private final Tracing tracing;

    public SecretsManagerTokenSource(VerifyConfig config, SecretsManagerAccess secrets, Clock clock,
            Tracing tracing) {
        this.config = config;
        this.secrets = secrets;
        this.clock = clock;
        this.tracing = tracing;
    }

    @Override
    public synchronized ApiToken current() {
        if (cached != null && clock.instant().isBefore(cachedAt.plus(config.tokenCacheTtl()))) {
            return cached;
        }
        return fetch();
    }

    @Override
    public synchronized Optional<ApiToken> refreshAfterRejection(ApiToken rejected) {
        ApiToken fresh = fetch();
        return fresh.equals(rejected) ? Optional.empty() : Optional.of(fresh);
    }

    /** Drops the cached token (tests start from a cold container with this). */
    synchronized void forget() {
        cached = null;
        cachedAt = null;
    }

    private ApiToken fetch() {
        String secretId = config.tokenSecretId()
                .filter(s -> !s.isBlank())
                .orElseThrow(() -> configuration("VERIFY_TOKEN_SECRET_ID is not set"));
        String secretString;
        Tracing.Span span = tracing.begin("secrets-manager");
        boolean failed = true;
        try {
            secretString = secrets.secretString(secretId);
            failed = false;
        } catch (SecretsManagerBusy e) {
            LOG.warnf("Secrets Manager stayed unavailable: %s", e.getMessage());
            throw configuration("Secrets Manager could not be reached or kept throttling");
        } catch (SecretsManagerRefusal e) {
            // The service's own error: log its code (never its message).
            LOG.warnf("Secrets Manager refused GetSecretValue: status %d, code %s", e.status(), e.code());
            throw configuration(switch (e.code()) {
                case "ResourceNotFoundException" -> "the token secret does not exist";
                case "DecryptionFailure", "DecryptionFailureException" ->
                        "the function may not decrypt the token secret (KMS)";
                case "AccessDeniedException" -> "the function's role may not read the token secret";
                default -> "Secrets Manager refused to return the token secret";
            });
        } catch (SdkException e) {
            throw configuration("the token secret could not be read");
        } finally {
            span.annotate("status", failed ? "CONFIGURATION" : "OK").end(false, failed);
        }
        cached = TokenSecretFormat.parse(secretString, config.tokenSecretField())
                .orElseThrow(() -> configuration("the token secret holds no token (expected a string, or JSON with field '"
                        + config.tokenSecretField() + "')"));
        cachedAt = clock.instant();
        return cached;
    }

    private static FailureException configuration(String message) {
        return new FailureException(Failure.of(ErrorType.CONFIGURATION, message));
    }
}
