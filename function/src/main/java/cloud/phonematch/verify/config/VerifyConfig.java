package cloud.phonematch.verify.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Every setting the function reads, under the prefix {@code verify}. SmallRye maps each to an environment
 * variable by upper-casing and replacing dots and dashes with underscores ({@code verify.api-base-url} is
 * {@code VERIFY_API_BASE_URL}); the README lists them and a test checks that template.yaml sets exactly these.
 */
@ConfigMapping(prefix = "verify")
public interface VerifyConfig {

    /** {@code live} calls the API; {@code sandbox} answers in-process by the number's last digit. */
    @WithDefault("live")
    Upstream upstream();

    /** Base URL of the verification API. */
    @WithDefault("https://api.acedata.cloud")
    String apiBaseUrl();

    /** Name or ARN of the secret holding the API token. Required when {@link #upstream()} is live. */
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
     * How long the answer to a request with an idempotency key is kept for replay, and how long a key whose
     * call may have been charged stays refused. At least Lambda's longest timeout (15 min) plus
     * {@link #clockSkewMargin()} plus Step Functions' redrive window (14 days): a record must outlive every lock and
     * every redrive that sends its key again (records.RecordsTiming; the function refuses to start otherwise).
     */
    @WithDefault("15d")
    Duration idempotencyTtl();

    /**
     * How much longer than the invocation that holds it an idempotency key's lock lasts, so that a container whose
     * clock runs up to this much ahead of the holder's still sees the lock held: 1 s to 5 min.
     */
    @WithDefault("10s")
    Duration clockSkewMargin();

    /**
     * At most this many charged answers per calendar day in China time, across every container sharing the records
     * table and every caller; 0 for no cap. Finite by default, so that a leaked endpoint or a runaway client costs at
     * most a day's budget.
     */
    @WithDefault("1000")
    long dailyBudget();

    /**
     * At most this many charged answers per calendar day in China time for any one caller (an IAM principal, a JWT
     * issuer and subject, or a source IP when the call is not authenticated), so that no one caller can spend the
     * {@link #dailyBudget()} of all; 0 for no per-caller cap.
     */
    @WithDefault("100")
    long callerDailyBudget();

    /**
     * How long a charged answer (0 or 1) is kept per person and given again, without a call, to another request for
     * the same name and number; 0 (the default) keeps none. A request with {@code "fresh": true} always makes a new
     * paid check.
     */
    @WithDefault("0s")
    Duration reuseWindow();

    /** Local validation of name and number before any paid call. */
    @WithDefault("true")
    boolean precheck();

    /**
     * Upper bound of one call to the API. Each attempt gets the smaller of this and the invocation's
     * remaining time minus {@link #deadlineMargin()}.
     */
    @WithDefault("3s")
    Duration attemptTimeout();

    /**
     * Time kept in reserve before Lambda's own timeout: no attempt starts with less than this left, so the
     * function always answers (with {@code UPSTREAM_TIMEOUT}) before Lambda kills it.
     */
    @WithDefault("500ms")
    Duration deadlineMargin();

    /**
     * The shortest call to the API worth starting: no attempt (and no wait before one) is begun unless at least this
     * much time is left before the deadline margin. A request the API may charge for must have time to hear its
     * answer; an attempt cut shorter than the API's usual answer time pays and then reports {@code outcome_unknown}.
     * Capped at {@link #attemptTimeout()}.
     */
    @WithDefault("1s")
    Duration minAttemptTime();

    /** Calls to the API per invocation, the first included (the one token-rotation retry is extra). */
    @WithDefault("3")
    int maxAttempts();

    /** Base of the exponential backoff between retries (full jitter: a random wait up to the bound). */
    @WithDefault("200ms")
    Duration retryBaseDelay();

    /** Cap of the backoff bound. */
    @WithDefault("2s")
    Duration retryMaxDelay();

    /**
     * Whether a call that timed out or broke after the request was sent may be repeated. Off by default:
     * the API may already have charged it (the charge-safety rule).
     */
    @WithDefault("false")
    boolean retryOnTimeout();

    /** Circuit breaker: the failure ratio over the rolling window that opens the circuit. */
    @WithDefault("0.5")
    double circuitFailureRatio();

    /** Circuit breaker: the number of most recent calls the ratio is computed over. */
    @WithDefault("20")
    int circuitRequestVolume();

    /** Circuit breaker: how long the circuit stays open before a trial call is let through. */
    @WithDefault("10s")
    Duration circuitDelay();

    /** Upper bound of establishing a connection to the API. */
    @WithDefault("1s")
    Duration connectTimeout();

    /**
     * Upper bound of one call to Secrets Manager (retried on throttling and 5xx, see SecretsManagerAccess); each
     * call also ends in time for one call to the API before the invocation's deadline.
     */
    @WithDefault("1s")
    Duration secretTimeout();

    /**
     * {@code off}, {@code AES-256-CBC} or {@code SM4-GCM}: send name and mobile encrypted with the API's
     * {@code encryption} envelope.
     */
    @WithDefault("off")
    String encryption();

    /**
     * The provider's public key (PEM; RSA for AES-256-CBC, SM2 for SM4-GCM). When absent, the token secret's
     * JSON field {@code public_key} is used.
     */
    Optional<String> encryptionPublicKey();

    /**
     * Accepts an RSA public key of 1024 bits (under 2048) for AES-256-CBC, with a warning at start; without it such a
     * key is refused at start, since 1024-bit RSA is below every current recommendation (NIST SP 800-131A).
     */
    @WithName("encryption-allow-rsa-1024")
    @WithDefault("false")
    boolean encryptionAllowRsa1024();

    /** {@code array} (the API reference's {@code object[]}) or {@code object} (a single envelope). */
    @WithDefault("array")
    String encryptionShape();

    /** One CloudWatch Embedded Metric Format object per invocation on stdout. */
    @WithDefault("true")
    boolean metrics();

    /** The CloudWatch namespace of those metrics. */
    @WithDefault("MobileVerify")
    String metricsNamespace();

    /**
     * The DynamoDB table that holds the records across invocations (template.yaml creates it and sets this unless
     * its {@code Records} parameter is {@code off}).
     */
    Optional<String> recordsTable();

    /**
     * Upper bound of one call to the records table; each call also ends before the invocation's deadline, and one
     * that cannot have 100 ms is not started.
     */
    @WithDefault("500ms")
    Duration recordsTimeout();

    enum Upstream {
        LIVE, SANDBOX
    }
}
