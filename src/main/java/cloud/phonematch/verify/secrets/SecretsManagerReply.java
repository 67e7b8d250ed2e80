package cloud.phonematch.verify.secrets;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.output.Json;

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
        String code = errorCode(errorTypeHeader, Json.parseObject(body).orElse(null));
        if (status >= 500 || code.contains("Throttling") || "TooManyRequestsException".equals(code)) {
            throw new SecretsManagerBusy(status + " " + code);
        }
        throw new SecretsManagerRefusal(status, code);
    }

    /**
     * The error code as the SDK reads it: the {@code x-amzn-ErrorType} header, else the body's {@code __type},
     * without a namespace prefix ({@code ...#Code}) or a suffix ({@code Code:http://...}); capped, since it ends up
     * in a log line.
     */
    static String errorCode(String header, JsonNode body) {
        String raw = header;
        if ((raw == null || raw.isBlank()) && body != null && body.hasNonNull("__type")) {
            raw = body.get("__type").asText();
        }
        if (raw == null || raw.isBlank()) {
            return "unknown";
        }
        String code = raw.substring(raw.lastIndexOf('#') + 1);
        int colon = code.indexOf(':');
        code = (colon >= 0 ? code.substring(0, colon) : code).strip();
        code = code.replaceAll("[^A-Za-z0-9.]", "");
        return code.isEmpty() ? "unknown" : code.substring(0, Math.min(64, code.length()));
    }
}
