package cloud.phonematch.verify.aws;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import software.amazon.awssdk.regions.Region;

/**
 * Where a service is, decided as the AWS SDK decides it: a configured endpoint first (the service's own setting, then
 * the global {@code aws.endpointUrl} / {@code AWS_ENDPOINT_URL}, system property before environment variable in each
 * pair, unless {@code AWS_IGNORE_CONFIGURED_ENDPOINT_URLS} is true), else the SDK's endpoint rules of the service for
 * the region, which know the partitions (e.g. {@code amazonaws.com.cn} in China), with the SDK's FIPS setting
 * ({@code AWS_USE_FIPS_ENDPOINT}).
 */
public final class AwsEndpoints {
    private AwsEndpoints() {
    }

    /**
     * @param env the environment
     * @param properties system properties
     */
    public static URI resolve(AwsJsonService service, Region region, Map<String, String> env,
            Function<String, String> properties) {
        boolean fips = "true".equalsIgnoreCase(first(properties.apply("aws.useFipsEndpoint"),
                env.get("AWS_USE_FIPS_ENDPOINT")));
        return configured(service, env, properties).orElseGet(() -> service.rules().resolve(region, fips));
    }

    public static Optional<URI> configured(AwsJsonService service, Map<String, String> env,
            Function<String, String> properties) {
        String ignore = first(properties.apply("aws.ignoreConfiguredEndpointUrls"),
                env.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"));
        if ("true".equalsIgnoreCase(ignore)) {
            return Optional.empty();
        }
        String url = first(properties.apply(service.endpointProperty()), env.get(service.endpointVariable()),
                properties.apply("aws.endpointUrl"), env.get("AWS_ENDPOINT_URL"));
        return Optional.ofNullable(url).map(URI::create);
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
