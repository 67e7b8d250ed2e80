package bench.springpeer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The {@code verify} function: checks a name and mobile number locally, then asks the verification API whether they
 * belong together. The API token is read from Secrets Manager once per execution environment, on the first
 * invocation that needs it (as the function under test does), and kept. Nothing personal (name, number, token) is
 * logged; answers carry the number masked.
 */
@Component("verify")
public class VerifyFunction implements Function<VerifyFunction.Request, Map<String, Object>> {

    private static final Log LOG = LogFactory.getLog(VerifyFunction.class);
    private static final Pattern MOBILE = Pattern.compile("^1[3-9]\\d{9}$");
    private static final Pattern SEPARATORS = Pattern.compile("[\\s-]");
    private static final int MAX_NAME_LENGTH = 64;

    /** The direct event: {@code {"name": "...", "mobile": "..."}}. */
    public record Request(String name, String mobile) {
    }

    /** The API's answer; only the result code and the trace id are used. */
    record ApiReply(String result, String description, @JsonProperty("trace_id") String traceId) {
    }

    private final RestClient api;
    private final SecretsManagerClient secrets;
    private final ObjectMapper json;
    private final String tokenSecretId;
    private volatile String token;

    public VerifyFunction(RestClient verificationApi, SecretsManagerClient secrets, ObjectMapper json,
            @Value("${VERIFY_TOKEN_SECRET_ID}") String tokenSecretId) {
        this.api = verificationApi;
        this.secrets = secrets;
        this.json = json;
        this.tokenSecretId = tokenSecretId;
    }

    @Override
    public Map<String, Object> apply(Request request) {
        String name = request == null || request.name() == null ? "" : request.name().strip();
        if (name.isEmpty() || name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
            return error("INVALID_REQUEST", "name must be 1 to " + MAX_NAME_LENGTH + " characters");
        }
        String mobile = normalizeMobile(request.mobile());
        if (mobile == null) {
            return error("INVALID_REQUEST", "mobile must be a mainland China mobile number");
        }
        ApiReply reply;
        try {
            reply = api.post()
                    .uri("/identity/phone/check-2e")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + token())
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("name", name, "mobile", mobile))
                    .retrieve()
                    .body(ApiReply.class);
        } catch (RestClientException | SdkException e) {
            // The exception's type only: its message may hold the request.
            LOG.warn("verification failed: " + e.getClass().getName());
            return error("UPSTREAM_UNAVAILABLE", "the verification service could not be reached");
        }
        String code = reply == null ? null : reply.result();
        Map<String, Object> answer = new LinkedHashMap<>();
        if ("0".equals(code)) {
            answer.put("status", "CONSISTENT");
            answer.put("match", true);
        } else if ("1".equals(code)) {
            answer.put("status", "INCONSISTENT");
            answer.put("match", false);
        } else {
            LOG.warn("the verification API answered result code " + code);
            return error("UPSTREAM_ERROR", "the verification service answered result " + code);
        }
        answer.put("mobile", mask(mobile));
        answer.put("trace_id", reply.traceId());
        return answer;
    }

    /** The number without spaces, dashes and an optional +86 prefix, or null if it is no mainland mobile number. */
    static String normalizeMobile(String raw) {
        if (raw == null) {
            return null;
        }
        String digits = SEPARATORS.matcher(raw).replaceAll("");
        if (digits.startsWith("+86")) {
            digits = digits.substring(3);
        }
        return MOBILE.matcher(digits).matches() ? digits : null;
    }

    /** 13912345670 as 139****5670. */
    static String mask(String mobile) {
        return mobile.substring(0, 3) + "****" + mobile.substring(7);
    }

    private static Map<String, Object> error(String type, String message) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("type", type);
        detail.put("message", message);
        return Map.of("error", detail);
    }

    /** The API token, read once per execution environment; the SecretString is {@code {"token": "..."}}. */
    private String token() {
        String t = token;
        if (t == null) {
            synchronized (this) {
                t = token;
                if (t == null) {
                    String secret = secrets.getSecretValue(r -> r.secretId(tokenSecretId)).secretString();
                    JsonNode node = json.readTree(secret).get("token");
                    if (node == null || !node.isString() || node.asString().isBlank()) {
                        throw new IllegalStateException("the token secret holds no token");
                    }
                    t = node.asString();
                    token = t;
                }
            }
        }
        return t;
    }
}
