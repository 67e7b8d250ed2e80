package cloud.phonematch.verify.handler;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.verification.Caller;

/**
 * The parts of an API Gateway proxy event this function uses, the same for payload 1.0 and 2.0. Header
 * names are matched case-insensitively, as HTTP requires.
 *
 * @param caller who sent it, as the event names it ({@link CallerIdentities})
 */
record HttpRequestView(String method, String path, Map<String, String> headers, String body, boolean base64,
        Caller caller) {

    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** HTTP API, payload format 2.0. The stage prefix of a named stage is removed from the path. */
    static HttpRequestView fromV2(JsonNode event) {
        JsonNode http = event.path("requestContext").path("http");
        String path = stripStage(text(event, "rawPath", http.path("path").asText("")),
                event.path("requestContext").path("stage").asText(""));
        return new HttpRequestView(http.path("method").asText(""), path, headers(event.path("headers")),
                textOrNull(event.path("body")), event.path("isBase64Encoded").asBoolean(false),
                CallerIdentities.fromV2(event.path("requestContext")));
    }

    /** REST API proxy integration, payload format 1.0. */
    static HttpRequestView fromV1(JsonNode event) {
        Map<String, String> headers = headers(event.path("headers"));
        // multiValueHeaders carries the same headers; single-valued ones win, the first value otherwise.
        event.path("multiValueHeaders").fields().forEachRemaining(e -> {
            if (e.getValue().isArray() && !e.getValue().isEmpty()) {
                headers.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), e.getValue().get(0).asText());
            }
        });
        String path = stripStage(text(event, "path", event.path("requestContext").path("path").asText("")),
                event.path("requestContext").path("stage").asText(""));
        return new HttpRequestView(event.path("httpMethod").asText(""), path, headers,
                textOrNull(event.path("body")), event.path("isBase64Encoded").asBoolean(false),
                CallerIdentities.fromV1(event.path("requestContext")));
    }

    private static Map<String, String> headers(JsonNode node) {
        Map<String, String> headers = new TreeMap<>();
        node.fields().forEachRemaining(e -> {
            if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText());
            }
        });
        return headers;
    }

    private static String stripStage(String path, String stage) {
        if (stage.isEmpty() || "$default".equals(stage)) {
            return path;
        }
        String prefix = "/" + stage;
        return path.startsWith(prefix + "/") ? path.substring(prefix.length()) : path;
    }

    private static String text(JsonNode event, String field, String fallback) {
        JsonNode v = event.path(field);
        return v.isTextual() ? v.asText() : fallback;
    }

    private static String textOrNull(JsonNode v) {
        return v.isTextual() ? v.asText() : null;
    }

    @Override
    public String toString() {
        // The body holds a name and a number: never printed.
        return "HttpRequestView[" + method + " " + path + ", body=<redacted>]";
    }
}
