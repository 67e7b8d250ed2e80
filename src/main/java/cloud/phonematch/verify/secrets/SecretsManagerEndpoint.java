package cloud.phonematch.verify.secrets;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.endpoints.SecretsManagerEndpointParams;
import software.amazon.awssdk.services.secretsmanager.endpoints.SecretsManagerEndpointProvider;

/**
 * Where Secrets Manager is, decided as the AWS SDK decides it: a configured endpoint first (the SDK's
 * service-specific and global endpoint settings, system property before environment variable, unless
 * {@code AWS_IGNORE_CONFIGURED_ENDPOINT_URLS} is true), else the SDK's own endpoint rules for the region, which know
 * the partitions (e.g. {@code amazonaws.com.cn} in China), with the SDK's FIPS setting
 * ({@code AWS_USE_FIPS_ENDPOINT}); Secrets Manager's dual-stack endpoints are its ordinary host names.
 */
final class SecretsManagerEndpoint {
    private SecretsManagerEndpoint() {
    }

    /**
     * @param env the environment
     * @param properties system properties
     */
    static URI resolve(Region region, Map<String, String> env, Function<String, String> properties) {
        return configured(env, properties).orElseGet(() -> SecretsManagerEndpointProvider.defaultProvider()
                .resolveEndpoint(SecretsManagerEndpointParams.builder().region(region)
                        .useFips(flag(properties.apply("aws.useFipsEndpoint"), env.get("AWS_USE_FIPS_ENDPOINT")))
                        .build())
                .join().url());
    }

    static Optional<URI> configured(Map<String, String> env, Function<String, String> properties) {
        String ignore = first(properties.apply("aws.ignoreConfiguredEndpointUrls"),
                env.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"));
        if ("true".equalsIgnoreCase(ignore)) {
            return Optional.empty();
        }
        String url = first(properties.apply("aws.endpointUrlSecretsManager"), env.get("AWS_ENDPOINT_URL_SECRETS_MANAGER"),
                properties.apply("aws.endpointUrl"), env.get("AWS_ENDPOINT_URL"));
        return Optional.ofNullable(url).map(URI::create);
    }

    private static boolean flag(String property, String variable) {
        return "true".equalsIgnoreCase(first(property, variable));
    }

    private static String first(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return null;
    }
}
