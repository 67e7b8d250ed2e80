package cloud.phonematch.verify.observability;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The per-invocation CloudWatch Embedded Metric Format object.
 * <p>
 * Under the prefix {@code verify}, as every setting of the function: SmallRye maps each to an environment variable
 * by upper-casing and replacing dots and dashes with underscores ({@code verify.api-base-url} is
 * {@code VERIFY_API_BASE_URL}).
 */
@ConfigMapping(prefix = "verify")
public interface MetricsSettings {
    /** One CloudWatch Embedded Metric Format object per invocation on stdout. */
    @WithDefault("true")
    boolean metrics();

    /** The CloudWatch namespace of those metrics. */
    @WithDefault("MobileVerify")
    String metricsNamespace();
}
