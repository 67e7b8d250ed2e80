package cloud.phonematch.verify.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

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

    /** How long a fetched token is used before Secrets Manager is asked again. */
    @WithDefault("300s")
    Duration tokenCacheTtl();

    /** Local validation of name and number before any paid call. */
    @WithDefault("true")
    boolean precheck();

    /** Upper bound of one call to the API (the read timeout of an attempt). */
    @WithDefault("3s")
    Duration attemptTimeout();

    /** Upper bound of establishing a connection to the API. */
    @WithDefault("1s")
    Duration connectTimeout();

    /** Upper bound of one call to Secrets Manager. */
    @WithDefault("2s")
    Duration secretTimeout();

    enum Upstream {
        LIVE, SANDBOX
    }
}
