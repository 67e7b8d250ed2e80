package cloud.phonematch.verify.support;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/**
 * The SigV4 signature of an AWS JSON request as a fake received it: the SDK's signer, run on the received request
 * (its Host, date, target and body) with the test credentials. Equal to the Authorization header that was sent
 * exactly when the client sent what it signed.
 */
public final class SignedAsReceived {
    private SignedAsReceived() {
    }

    public static String authorization(LoggedRequest received, AwsBasicCredentials credentials, String service,
            String region) {
        Instant signedAt = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC)
                .parse(received.getHeader("X-Amz-Date"), Instant::from);
        SdkHttpRequest asReceived = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
                .uri(URI.create("http://" + received.getHeader("Host") + "/"))
                .putHeader("X-Amz-Target", received.getHeader("X-Amz-Target")).build();
        return AwsV4HttpSigner.create().sign(r -> r
                .identity(credentials)
                .request(asReceived)
                .payload(ContentStreamProvider.fromByteArray(received.getBody()))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)))
                .request().firstMatchingHeader("Authorization").orElseThrow();
    }
}
