package cloud.phonematch.verify.localgateway;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP request as it reached the gateway, before it becomes an event.
 *
 * @param method as sent ({@code POST})
 * @param rawPath the path as sent, still percent-encoded
 * @param rawQueryString what follows {@code ?}, or empty
 * @param protocol {@code HTTP/1.1}
 * @param sourceIp the client's address
 * @param localPort the port the request came in on
 * @param headers in the order received; a name may repeat
 * @param body the bytes sent, empty when there were none
 */
record GatewayRequest(String method, String rawPath, String rawQueryString, String protocol, String sourceIp,
        int localPort, List<Map.Entry<String, String>> headers, byte[] body) {

    GatewayRequest {
        headers = List.copyOf(headers);
    }

    /** The first value of a header, by its name in any case. */
    Optional<String> header(String name) {
        return Headers.first(headers, name);
    }

    /** The media type of the body, lower case and without parameters; empty when there is no Content-Type. */
    Optional<String> mediaType() {
        return header("content-type").map(v -> v.split(";", 2)[0].strip().toLowerCase(Locale.ROOT))
                .filter(v -> !v.isEmpty());
    }

    @Override
    public String toString() {
        // The body holds a name and a number, and the path and query might: none of them is printed.
        return "GatewayRequest[" + method + ", " + body.length + " body bytes]";
    }
}
