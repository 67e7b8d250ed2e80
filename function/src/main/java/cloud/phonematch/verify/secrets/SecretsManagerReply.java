package cloud.phonematch.verify.secrets;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.aws.AwsErrorCode;
import cloud.phonematch.verify.json.Json;

/** Reads a GetSecretValue reply: the secret string, or the error it stands for. */
final class SecretsManagerReply {
    private SecretsManagerReply() {
    }

    static String secretString(int status, String errorTypeHeader, String body) {
        if (status == 200) {
            JsonNode reply = Json.parseObject(body).orElseThrow(() -> new SecretsManagerBusy("200 with no JSON body"));
            JsonNode value = reply.get("SecretString");
            return value == null || value.isNull() ? null : value.asText();
        }
        String code = AwsErrorCode.of(errorTypeHeader, Json.parseObject(body).orElse(null));
        if (AwsErrorCode.busy(status, code)) {
            throw new SecretsManagerBusy(status + " " + code);
        }
        throw new SecretsManagerRefusal(status, code);
    }
}
