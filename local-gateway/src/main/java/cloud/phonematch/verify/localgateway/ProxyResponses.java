package cloud.phonematch.verify.localgateway;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What an HTTP API with payload format 2.0 makes of the function's response:
 * <ul>
 * <li>an object with {@code statusCode}: that status, its {@code headers}, each of its {@code cookies} as a
 * {@code Set-Cookie} header, and its {@code body}, base64-decoded when {@code isBase64Encoded}; with
 * {@code content-type: application/json} when the function set no Content-Type;</li>
 * <li>any other JSON: 200 with that JSON as the body, as {@code application/json} (API Gateway's inferred format);</li>
 * <li>anything else, or a status or body it cannot use: 500 {@code {"message":"Internal Server Error"}}.</li>
 * </ul>
 */
final class ProxyResponses {
    private static final Map.Entry<String, String> JSON_CONTENT_TYPE = Map.entry("content-type", "application/json");

    private ProxyResponses() {
    }

    static GatewayResponse toHttp(byte[] functionOutput) {
        JsonNode output;
        try {
            output = GatewayJson.MAPPER.readTree(functionOutput);
        } catch (Exception e) {
            return GatewayResponse.internalServerError();
        }
        if (output == null || output.isMissingNode()) {
            return GatewayResponse.internalServerError();
        }
        if (!output.isObject() || !output.has("statusCode")) {
            return new GatewayResponse(200, List.of(JSON_CONTENT_TYPE), functionOutput);
        }
        JsonNode status = output.get("statusCode");
        if (!status.isIntegralNumber() || status.asInt() < 100 || status.asInt() > 599) {
            return GatewayResponse.internalServerError();
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        output.path("headers").fields().forEachRemaining(h -> {
            if (!h.getValue().isNull()) {
                headers.add(Map.entry(h.getKey(), h.getValue().asText()));
            }
        });
        output.path("cookies").forEach(c -> headers.add(Map.entry("set-cookie", c.asText())));
        if (Headers.first(headers, "content-type").isEmpty()) {
            headers.add(JSON_CONTENT_TYPE);
        }
        String body = output.path("body").isNull() ? "" : output.path("body").asText("");
        byte[] bytes;
        if (output.path("isBase64Encoded").asBoolean(false)) {
            try {
                bytes = Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                return GatewayResponse.internalServerError();
            }
        } else {
            bytes = body.getBytes(StandardCharsets.UTF_8);
        }
        return new GatewayResponse(status.asInt(), headers, bytes);
    }
}
