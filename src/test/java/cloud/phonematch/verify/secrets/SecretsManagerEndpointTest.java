package cloud.phonematch.verify.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.regions.Region;

class SecretsManagerEndpointTest {
    private static final Map<String, String> NO_PROPERTIES = Map.of();

    @Test
    void theSdkRulesKnowEachPartition() {
        assertEquals(URI.create("https://secretsmanager.cn-north-1.amazonaws.com.cn"),
                SecretsManagerEndpoint.resolve(Region.CN_NORTH_1, Map.of(), NO_PROPERTIES::get));
        assertEquals(URI.create("https://secretsmanager.ap-east-1.amazonaws.com"),
                SecretsManagerEndpoint.resolve(Region.AP_EAST_1, Map.of(), NO_PROPERTIES::get));
    }

    @Test
    void aConfiguredEndpointWinsInTheSdksOrder() {
        Map<String, String> env = Map.of("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://env-service:1",
                "AWS_ENDPOINT_URL", "http://env-global:2");
        Map<String, String> properties = Map.of("aws.endpointUrlSecretsManager", "http://property-service:3",
                "aws.endpointUrl", "http://property-global:4");
        assertEquals(URI.create("http://property-service:3"),
                SecretsManagerEndpoint.resolve(Region.CN_NORTH_1, env, properties::get));
        assertEquals(URI.create("http://env-service:1"),
                SecretsManagerEndpoint.resolve(Region.CN_NORTH_1, env, Map.of("aws.endpointUrl", "http://p:4")::get));
        assertEquals(Optional.of(URI.create("http://env-global:2")),
                SecretsManagerEndpoint.configured(Map.of("AWS_ENDPOINT_URL", "http://env-global:2"), NO_PROPERTIES::get));
    }

    @Test
    void configuredEndpointsCanBeIgnored() {
        Map<String, String> env = Map.of("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://env-service:1",
                "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
        assertEquals(URI.create("https://secretsmanager.cn-northwest-1.amazonaws.com.cn"),
                SecretsManagerEndpoint.resolve(Region.CN_NORTHWEST_1, env, NO_PROPERTIES::get));
    }

    @Test
    void fipsIsTheSdksSetting() {
        assertEquals(URI.create("https://secretsmanager-fips.us-east-1.amazonaws.com"),
                SecretsManagerEndpoint.resolve(Region.US_EAST_1, Map.of("AWS_USE_FIPS_ENDPOINT", "true"), NO_PROPERTIES::get));
        assertEquals(URI.create("https://secretsmanager-fips.us-east-1.amazonaws.com"), SecretsManagerEndpoint.resolve(
                Region.US_EAST_1, Map.of(), Map.of("aws.useFipsEndpoint", "true")::get));
    }
}
