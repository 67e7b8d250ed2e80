package cloud.phonematch.verify.localgateway;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An HTTP response as the gateway sends it.
 *
 * @param status the status code
 * @param headers in the order they are sent; a name may repeat ({@code Set-Cookie})
 * @param body the bytes of the body
 */
record GatewayResponse(int status, List<Map.Entry<String, String>> headers, byte[] body) {

    GatewayResponse {
        headers = List.copyOf(headers);
    }

    /**
     * One of API Gateway's own answers, given without the function: {@code {"message": "..."}} as
     * {@code application/json}, as API Gateway words its throttling and integration errors.
     */
    static GatewayResponse gatewayMessage(int status, String message) {
        ObjectNode body = GatewayJson.object();
        body.put("message", message);
        return new GatewayResponse(status, List.of(Map.entry("content-type", "application/json")),
                GatewayJson.bytes(body));
    }

    static GatewayResponse tooManyRequests() {
        return gatewayMessage(429, "Too Many Requests");
    }

    static GatewayResponse internalServerError() {
        return gatewayMessage(500, "Internal Server Error");
    }

    /** API Gateway's answer to a body over its payload quota (10 MB for an HTTP API). */
    static GatewayResponse payloadTooLarge() {
        return gatewayMessage(413, "Request Entity Too Large");
    }

    /** This response with headers added after its own. */
    GatewayResponse withHeaders(List<Map.Entry<String, String>> more) {
        List<Map.Entry<String, String>> all = new ArrayList<>(headers);
        all.addAll(more);
        return new GatewayResponse(status, all, body);
    }

    /** The first value of a header, by its name in any case. */
    Optional<String> header(String name) {
        return Headers.first(headers, name);
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "GatewayResponse[" + status + ", " + body.length + " body bytes]";
    }
}
