package cloud.phonematch.verify.aws;

import java.net.URI;
import java.time.Clock;

import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;

/**
 * One request of an AWS JSON protocol, signed with the AWS SDK's SigV4 signer: the headers to send and the body.
 * <p>
 * The signer is the SDK's ({@code http-auth-aws}); only the request it signs is assembled here: {@code POST /}, the
 * target header and the JSON body, exactly as the SDK's own clients send them. Every header the signer added except
 * {@code Host} (which the HTTP client derives from the same URI) is carried here, so the request sent is the request
 * signed.
 */
public record SignedJsonRequest(String contentType, String target, String date, String securityToken,
        String contentSha256, String authorization, byte[] body) {

    public static SignedJsonRequest sign(AwsJsonService service, String operation, URI endpoint, Region region,
            AwsCredentialsIdentity credentials, byte[] body, Clock clock) {
        String target = service.target(operation);
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint)
                .encodedPath("/")
                .putHeader("X-Amz-Target", target)
                .build();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(credentials)
                .request(request)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service.signingName())
                .putProperty(AwsV4HttpSigner.REGION_NAME, region.id())
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock))
                .request();
        return new SignedJsonRequest(service.contentType(), target,
                signed.firstMatchingHeader("X-Amz-Date").orElseThrow(),
                signed.firstMatchingHeader("X-Amz-Security-Token").orElse(null),
                signed.firstMatchingHeader("x-amz-content-sha256").orElse(null),
                signed.firstMatchingHeader("Authorization").orElseThrow(),
                body);
    }
}
