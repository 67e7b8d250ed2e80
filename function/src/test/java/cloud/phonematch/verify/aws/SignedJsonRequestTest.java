package cloud.phonematch.verify.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import cloud.phonematch.verify.records.DynamoDbRecordStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.regions.Region;

/** A request of AWS JSON 1.0 signed for its service (Secrets Manager's 1.1 is in GetSecretValueRequestTest). */
class SignedJsonRequestTest {

    @Test
    void aDynamoDbRequestIsSignedForDynamoDbInJson10() {
        SignedJsonRequest request = SignedJsonRequest.sign(DynamoDbRecordStore.DYNAMODB, "PutItem",
                URI.create("https://dynamodb.cn-north-1.amazonaws.com.cn"), Region.CN_NORTH_1,
                AwsBasicCredentials.create("AKIDEXAMPLE", "secret"), "{}".getBytes(StandardCharsets.UTF_8),
                Clock.fixed(Instant.parse("2026-11-30T08:00:00Z"), ZoneOffset.UTC));

        assertEquals("DynamoDB_20120810.PutItem", request.target());
        assertEquals("application/x-amz-json-1.0", request.contentType());
        assertEquals("20261130T080000Z", request.date());
        assertEquals("{}", new String(request.body(), StandardCharsets.UTF_8));
        assertTrue(request.authorization().startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261130/cn-north-1/"
                + "dynamodb/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-target, Signature="),
                request.authorization());
    }
}
