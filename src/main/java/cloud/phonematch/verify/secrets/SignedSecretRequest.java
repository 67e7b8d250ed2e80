package cloud.phonematch.verify.secrets;

import java.net.URI;
import java.time.Clock;

import cloud.phonematch.verify.output.Json;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;

/**
 * One GetSecretValue request, signed with the AWS SDK's SigV4 signer: the headers to send and the body.
 * <p>
 * The signer is the SDK's ({@code http-auth-aws}); only the request it signs is assembled here: {@code POST /}, the
 * target header and the JSON body {@code {"SecretId": ...}}, exactly as the SDK's own client sends them.
 */
record SignedSecretRequest(String target, String date, String securityToken, String contentSha256,
        String authorization, byte[] body) {
    static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    static final String TARGET = "secretsmanager.GetSecretValue";
    private static final String SIGNING_NAME = "secretsmanager";

    static SignedSecretRequest sign(URI endpoint, Region region, AwsCredentialsIdentity credentials, String secretId,
            Clock clock) {
        byte[] body = Json.bytes(Json.object().put("SecretId", secretId));
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint)
                .encodedPath("/")
                .putHeader("X-Amz-Target", TARGET)
                .build();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(credentials)
                .request(request)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SIGNING_NAME)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region.id())
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock))
                .request();
        return new SignedSecretRequest(TARGET,
                signed.firstMatchingHeader("X-Amz-Date").orElseThrow(),
                signed.firstMatchingHeader("X-Amz-Security-Token").orElse(null),
                signed.firstMatchingHeader("x-amz-content-sha256").orElse(null),
                signed.firstMatchingHeader("Authorization").orElseThrow(),
                body);
    }
}
