package cloud.phonematch.verify.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import cloud.phonematch.verify.aws.SignedJsonRequest;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;

/** GetSecretValue as signed and sent: the SDK's signer over Secrets Manager's target and body. */
class GetSecretValueRequestTest {
    private static final URI ENDPOINT = URI.create("https://secretsmanager.cn-north-1.amazonaws.com.cn");
    private static final Clock AT = Clock.fixed(Instant.parse("2026-11-26T05:00:00Z"), ZoneOffset.UTC);

    @Test
    void sessionCredentialsSignAndSendTheirToken() {
        SignedJsonRequest request = sign(
                AwsSessionCredentials.create("ASIAEXAMPLE", "secret", "the-session-token"), "phonematch/token");

        assertEquals("the-session-token", request.securityToken());
        assertEquals("20261126T050000Z", request.date());
        assertEquals("secretsmanager.GetSecretValue", request.target());
        assertEquals("application/x-amz-json-1.1", request.contentType());
        assertEquals("{\"SecretId\":\"phonematch/token\"}", new String(request.body(), StandardCharsets.UTF_8));
        assertTrue(request.authorization().startsWith(
                "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20261126/cn-north-1/secretsmanager/aws4_request, "
                        + "SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-amz-target, "
                        + "Signature="), request.authorization());
    }

    @Test
    void longTermCredentialsSendNoToken() {
        SignedJsonRequest request = sign(
                AwsBasicCredentials.create("AKIDEXAMPLE", "secret"), "phonematch/token");

        assertNull(request.securityToken());
        assertTrue(request.authorization().contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-target,"),
                request.authorization());
    }

    @Test
    void theSecretIdIsJsonEscaped() {
        SignedJsonRequest request = sign(
                AwsBasicCredentials.create("AKIDEXAMPLE", "secret"), "a\"b\\c");

        assertEquals("{\"SecretId\":\"a\\\"b\\\\c\"}", new String(request.body(), StandardCharsets.UTF_8));
    }

    private static SignedJsonRequest sign(AwsCredentialsIdentity credentials, String secretId) {
        return SignedJsonRequest.sign(SecretsManagerAccess.SECRETS_MANAGER, "GetSecretValue", ENDPOINT,
                Region.CN_NORTH_1, credentials, SecretsManagerAccess.getSecretValue(secretId), AT);
    }
}
