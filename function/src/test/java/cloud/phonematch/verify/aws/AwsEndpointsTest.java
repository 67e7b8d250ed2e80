package cloud.phonematch.verify.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import cloud.phonematch.verify.records.DynamoDbRecordStore;
import cloud.phonematch.verify.secrets.SecretsManagerAccess;
import software.amazon.awssdk.regions.Region;

/**
 * Where each service the function calls is: its configured endpoint in the SDK's order (its own setting, then the
 * global one; system property before environment variable), else the SDK's endpoint rules of the service.
 */
class AwsEndpointsTest {
    private static final Map<String, String> NONE = Map.of();
    /** Every service's own settings, so that each service can be shown to ignore the others'. */
    private static final Map<String, String> EVERY_SERVICE_VARIABLE = Map.of(
            "AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://secrets-variable:9",
            "AWS_ENDPOINT_URL_DYNAMODB", "http://dynamodb-variable:9");
    private static final Map<String, String> EVERY_SERVICE_PROPERTY = Map.of(
            "aws.endpointUrlSecretsManager", "http://secrets-property:8",
            "aws.endpointUrlDynamoDb", "http://dynamodb-property:8");

    /** Each service, its own environment variable and system property, and its host name. */
    static Stream<Arguments> services() {
        return Stream.of(
                Arguments.of(SecretsManagerAccess.SECRETS_MANAGER, "AWS_ENDPOINT_URL_SECRETS_MANAGER",
                        "aws.endpointUrlSecretsManager", "secretsmanager"),
                Arguments.of(DynamoDbRecordStore.DYNAMODB, "AWS_ENDPOINT_URL_DYNAMODB", "aws.endpointUrlDynamoDb",
                        "dynamodb"));
    }

    @ParameterizedTest
    @MethodSource("services")
    void theSdkRulesKnowEachPartition(AwsJsonService service, String variable, String property, String host) {
        assertEquals(URI.create("https://" + host + ".cn-north-1.amazonaws.com.cn"),
                AwsEndpoints.resolve(service, Region.CN_NORTH_1, NONE, NONE::get));
        assertEquals(URI.create("https://" + host + ".cn-northwest-1.amazonaws.com.cn"),
                AwsEndpoints.resolve(service, Region.CN_NORTHWEST_1, NONE, NONE::get));
        assertEquals(URI.create("https://" + host + ".ap-east-1.amazonaws.com"),
                AwsEndpoints.resolve(service, Region.AP_EAST_1, NONE, NONE::get));
    }

    @ParameterizedTest
    @MethodSource("services")
    void fipsIsTheSdksSetting(AwsJsonService service, String variable, String property, String host) {
        URI fips = URI.create("https://" + host + "-fips.us-east-1.amazonaws.com");
        assertEquals(fips, AwsEndpoints.resolve(service, Region.US_EAST_1, Map.of("AWS_USE_FIPS_ENDPOINT", "true"),
                NONE::get));
        assertEquals(fips, AwsEndpoints.resolve(service, Region.US_EAST_1, NONE,
                Map.of("aws.useFipsEndpoint", "true")::get));
    }

    @ParameterizedTest
    @MethodSource("services")
    void aConfiguredEndpointWinsInTheSdksOrder(AwsJsonService service, String variable, String property,
            String host) {
        Map<String, String> env = new HashMap<>(EVERY_SERVICE_VARIABLE);
        env.put(variable, "http://env-service:1");
        env.put("AWS_ENDPOINT_URL", "http://env-global:2");
        Map<String, String> properties = new HashMap<>(EVERY_SERVICE_PROPERTY);
        properties.put(property, "http://property-service:3");
        properties.put("aws.endpointUrl", "http://property-global:4");
        assertEquals(URI.create("http://property-service:3"),
                AwsEndpoints.resolve(service, Region.CN_NORTH_1, env, properties::get));
        properties.remove(property);
        assertEquals(URI.create("http://env-service:1"),
                AwsEndpoints.resolve(service, Region.CN_NORTH_1, env, properties::get));
        env.remove(variable);
        assertEquals(URI.create("http://property-global:4"),
                AwsEndpoints.resolve(service, Region.CN_NORTH_1, env, properties::get),
                "another service's own setting is not this one's");
        properties.remove("aws.endpointUrl");
        assertEquals(Optional.of(URI.create("http://env-global:2")),
                AwsEndpoints.configured(service, env, properties::get));
    }

    @ParameterizedTest
    @MethodSource("services")
    void configuredEndpointsCanBeIgnored(AwsJsonService service, String variable, String property, String host) {
        Map<String, String> env = Map.of(variable, "http://env-service:1",
                "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
        assertEquals(URI.create("https://" + host + ".cn-northwest-1.amazonaws.com.cn"),
                AwsEndpoints.resolve(service, Region.CN_NORTHWEST_1, env, NONE::get));
    }
}
