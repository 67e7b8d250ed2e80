package cloud.phonematch.verify.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.aws.AwsErrorCode;
import cloud.phonematch.verify.json.Json;

class SecretsManagerReplyTest {

    @Test
    void aSecretStringIsReturned() {
        assertEquals("s3cr3t", SecretsManagerReply.secretString(200, null,
                "{\"ARN\":\"arn:aws-cn:secretsmanager:cn-north-1:1:secret:x\",\"SecretString\":\"s3cr3t\"}"));
    }

    @Test
    void aBinaryOnlySecretHasNoString() {
        assertNull(SecretsManagerReply.secretString(200, null, "{\"SecretBinary\":\"AAEC\"}"));
    }

    @Test
    void aSuccessWithoutJsonIsWorthAnotherTry() {
        assertThrows(SecretsManagerBusy.class, () -> SecretsManagerReply.secretString(200, null, ""));
        assertThrows(SecretsManagerBusy.class, () -> SecretsManagerReply.secretString(200, null, "<html>"));
    }

    @ParameterizedTest
    @CsvSource({
        "500, InternalServiceError",
        "503, ServiceUnavailable",
        "400, ThrottlingException",
        "429, TooManyRequestsException",
    })
    void throttlingAndServerErrorsAreWorthAnotherTry(int status, String code) {
        SecretsManagerBusy busy = assertThrows(SecretsManagerBusy.class,
                () -> SecretsManagerReply.secretString(status, null, error(code)));
        assertEquals(status + " " + code, busy.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "400, ResourceNotFoundException",
        "400, AccessDeniedException",
        "400, DecryptionFailure",
        "400, InvalidRequestException",
    })
    void refusalsCarryStatusAndCode(int status, String code) {
        SecretsManagerRefusal refusal = assertThrows(SecretsManagerRefusal.class,
                () -> SecretsManagerReply.secretString(status, null, error(code)));
        assertEquals(status, refusal.status());
        assertEquals(code, refusal.code());
    }

    @Test
    void theErrorCodeIsReadAsTheSdkReadsIt() {
        JsonNode namespaced = body("{\"__type\":\"com.amazonaws.secretsmanager#ResourceNotFoundException\",\"message\":\"m\"}");
        assertEquals("ResourceNotFoundException", AwsErrorCode.of(null, namespaced));
        assertEquals("AccessDeniedException", AwsErrorCode.of(
                "AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/", namespaced),
                "the header wins over the body");
        assertEquals("unknown", AwsErrorCode.of(null, null));
        assertEquals("unknown", AwsErrorCode.of(" ", body("{\"message\":\"m\"}")));
    }

    @Test
    void theErrorCodeNeverCarriesTheServicesMessageOrOddCharacters() {
        String code = AwsErrorCode.of(null, body("{\"__type\":\"Bad Code\\n<script> 13912345678 " + "x".repeat(200)
                + "\",\"message\":\"the secret phonematch/token\"}"));
        assertEquals(64, code.length());
        assertEquals(code.replaceAll("[^A-Za-z0-9.]", ""), code);
    }

    private static String error(String code) {
        return "{\"__type\":\"" + code + "\",\"message\":\"test error\"}";
    }

    private static JsonNode body(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
