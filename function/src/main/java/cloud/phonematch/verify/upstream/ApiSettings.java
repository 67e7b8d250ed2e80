package cloud.phonematch.verify.upstream;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The paid API: which one, where, how to connect, and when to stop calling it (the circuit).
 * <p>
 * Under the prefix {@code verify}, as every setting of the function: SmallRye maps each to an environment variable
 * by upper-casing and replacing dots and dashes with underscores ({@code verify.api-base-url} is
 * {@code VERIFY_API_BASE_URL}).
 */
@ConfigMapping(prefix = "verify")
public interface ApiSettings {
    /** {@code live} calls the API; {@code sandbox} answers in-process by the number's last digit. */
    @WithDefault("live")
    Upstream upstream();

    /** Base URL of the verification API. */
    @WithDefault("https://api.acedata.cloud")
    String apiBaseUrl();

    /** Upper bound of establishing a connection to the API. */
    @WithDefault("1s")
    Duration connectTimeout();

    /** Circuit breaker: the failure ratio over the rolling window that opens the circuit. */
    @WithDefault("0.5")
    double circuitFailureRatio();

    /** Circuit breaker: the number of most recent calls the ratio is computed over. */
    @WithDefault("20")
    int circuitRequestVolume();

    /** Circuit breaker: how long the circuit stays open before a trial call is let through. */
    @WithDefault("10s")
    Duration circuitDelay();

    enum Upstream {
        LIVE, SANDBOX
    }
}
