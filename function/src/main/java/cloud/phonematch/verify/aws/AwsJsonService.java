package cloud.phonematch.verify.aws;

import java.net.URI;

import cloud.phonematch.verify.priming.PlayedService;

import software.amazon.awssdk.regions.Region;

/**
 * An AWS service spoken to in its JSON protocol (AWS JSON 1.0 or 1.1): every operation is {@code POST /} with the
 * operation in {@code X-Amz-Target} and a JSON body, signed with SigV4 for the service's signing name.
 *
 * @param signingName the SigV4 service name, e.g. {@code dynamodb}
 * @param targetPrefix what precedes the operation in {@code X-Amz-Target}, e.g. {@code DynamoDB_20120810}
 * @param protocol {@code 1.0} or {@code 1.1}, the version in the content type
 * @param endpointProperty the SDK's system property for this service's configured endpoint, e.g.
 *     {@code aws.endpointUrlDynamoDb}
 * @param endpointVariable the SDK's environment variable for it, e.g. {@code AWS_ENDPOINT_URL_DYNAMODB}
 * @param rules the SDK's endpoint rules of the service, asked when no endpoint is configured
 */
public record AwsJsonService(String signingName, String targetPrefix, String protocol, String endpointProperty,
        String endpointVariable, EndpointRules rules) {
    public static final String JSON_1_0 = "1.0";
    public static final String JSON_1_1 = "1.1";

    public AwsJsonService {
        if (!JSON_1_0.equals(protocol) && !JSON_1_1.equals(protocol)) {
            throw new IllegalArgumentException("AWS JSON 1.0 or 1.1, not " + protocol);
        }
    }

    /** {@code application/x-amz-json-1.0} or {@code -1.1}. */
    public String contentType() {
        return "application/x-amz-json-" + protocol;
    }

    /** The {@code X-Amz-Target} of an operation, e.g. {@code DynamoDB_20120810.PutItem}. */
    public String target(String operation) {
        return targetPrefix + "." + operation;
    }

    /** Whether a request's {@code X-Amz-Target} (null when it has none) names an operation of this service. */
    public boolean isTargetOf(String amzTarget) {
        return amzTarget != null && amzTarget.startsWith(targetPrefix + ".");
    }

    /** This service as a rehearsal's loopback server plays it: every operation answered with {@code successReply}. */
    public PlayedService played(String name, String successReply) {
        return new PlayedService(name, (path, amzTarget) -> isTargetOf(amzTarget), contentType(), successReply);
    }

    /** Where the SDK's endpoint rules put the service for a region. */
    @FunctionalInterface
    public interface EndpointRules {
        URI resolve(Region region, boolean fips);
    }
}
