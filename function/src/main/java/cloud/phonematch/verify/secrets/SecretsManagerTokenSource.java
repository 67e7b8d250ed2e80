package cloud.phonematch.verify.secrets;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.verification.ApiToken;
import cloud.phonematch.verify.verification.Deadline;
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
 * <p>
 * Every read ends in time for one call to the API before the invocation's deadline. When Secrets Manager is
 * unavailable (throttling, 5xx, unreachable, too slow) the failure is {@code SECRETS_UNAVAILABLE}, which a caller may
 * retry; only a missing secret, a denied read or a secret without a usable token is {@code CONFIGURATION}, raised
 * before any call to the API. A brownout does not stop verifications: once the TTL has passed, the cached token is
 * still used for up to
 * {@code VERIFY_TOKEN_STALE_LIMIT} more while refreshing fails, with one short refresh try at most every
 * {@link #STALE_REFRESH_INTERVAL} — if the token was rotated away meanwhile, the API's rejection says so.
 */
@ApplicationScoped
public class SecretsManagerTokenSource implements TokenSource {
    private static final Logger LOG = Logger.getLogger(SecretsManagerTokenSource.class);
    /** While a stale token is in use, how long after a failed refresh the next one is tried. */
    static final Duration STALE_REFRESH_INTERVAL = Duration.ofSeconds(10);

    private final TokenSettings config;
    private final SecretsManagerAccess secrets;
    private final Clock clock;
    private final Tracing tracing;

    private ApiToken cached;
    private Instant cachedAt;
    /** While a stale token is in use: no refresh is tried before this. */
    private Instant nextRefresh;

    public SecretsManagerTokenSource(TokenSettings config, SecretsManagerAccess secrets, Clock clock,
            Tracing tracing) {
        this.config = config;
        this.secrets = secrets;
        this.clock = clock;
        this.tracing = tracing;
    }

    @Override
    public synchronized ApiToken current(Deadline deadline) {
        Instant now = clock.instant();
        if (cached == null) {
            return fetch(deadline.leavingOneAttempt());
        }
        Instant expires = cachedAt.plus(config.tokenCacheTtl());
        if (now.isBefore(expires)) {
            return cached;
        }
        if (!now.isBefore(expires.plus(config.tokenStaleLimit()))) {
            return fetch(deadline.leavingOneAttempt());
        }
        if (nextRefresh != null && now.isBefore(nextRefresh)) {
            return cached;
        }
        try {
            // A usable token is in hand: one call's time at most, so a brownout costs this invocation little.
            return fetch(deadline.leavingOneAttempt().within(config.secretTimeout()));
        } catch (FailureException e) {
            if (e.failure().type() != ErrorType.SECRETS_UNAVAILABLE) {
                throw e;
            }
            nextRefresh = now.plus(STALE_REFRESH_INTERVAL);
            LOG.warnf("Secrets Manager is unavailable; using the token read %d s ago (usable for up to %d s more)",
                    Duration.between(cachedAt, now).toSeconds(),
                    Duration.between(now, expires.plus(config.tokenStaleLimit())).toSeconds());
            return cached;
        }
    }

    @Override
    public synchronized Optional<ApiToken> refreshAfterRejection(ApiToken rejected, Deadline deadline) {
        ApiToken fresh = fetch(deadline.leavingOneAttempt());
        return fresh.equals(rejected) ? Optional.empty() : Optional.of(fresh);
    }

    /** Drops the cached token (tests start from a cold container with this). */
    synchronized void forget() {
        cached = null;
        cachedAt = null;
        nextRefresh = null;
    }

    private ApiToken fetch(Deadline deadline) {
        String secretId = config.tokenSecretId()
                .filter(s -> !s.isBlank())
                .orElseThrow(() -> configuration("VERIFY_TOKEN_SECRET_ID is not set"));
        Tracing.Span span = tracing.begin("secrets-manager");
        String outcome = ErrorType.CONFIGURATION.name();
        String secretString;
        try {
            secretString = secrets.secretString(secretId, deadline);
            outcome = "OK";
        } catch (SecretsManagerBusy e) {
            LOG.warnf("Secrets Manager stayed unavailable: %s", e.getMessage());
            outcome = ErrorType.SECRETS_UNAVAILABLE.name();
            throw unavailable("Secrets Manager kept throttling, failing or could not be reached; try again shortly");
        } catch (SecretsManagerOutOfTime e) {
            LOG.warn("Secrets Manager did not answer before the function's deadline");
            outcome = ErrorType.SECRETS_UNAVAILABLE.name();
            throw unavailable("Secrets Manager did not answer before the function's deadline; try again shortly");
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
            // Credentials or region could not be resolved. The SDK knows whether that was a passing failure (a
            // credentials endpoint that did not answer) or the function's environment.
            if (e.retryable()) {
                outcome = ErrorType.SECRETS_UNAVAILABLE.name();
                throw unavailable("the credentials to read the token secret could not be had; try again shortly");
            }
            throw configuration("the token secret could not be read");
        } finally {
            boolean failed = !"OK".equals(outcome);
            span.annotate("status", outcome).end(false, failed);
        }
        try {
            cached = TokenSecretFormat.parse(secretString, config.tokenSecretField(), config.hashKeyField())
                    .orElseThrow(() -> configuration("the token secret holds no token (expected a string, or JSON with"
                            + " field '" + config.tokenSecretField() + "')"));
        } catch (TokenSecretFormat.UnusableTokenSecret e) {
            // Refused before any call: nothing was sent with it, so nothing can have been charged.
            throw configuration(e.getMessage());
        }
        cachedAt = clock.instant();
        nextRefresh = null;
        return cached;
    }

    private static FailureException configuration(String message) {
        return new FailureException(Failure.of(ErrorType.CONFIGURATION, message));
    }

    private static FailureException unavailable(String message) {
        return new FailureException(Failure.of(ErrorType.SECRETS_UNAVAILABLE, message));
    }
}
