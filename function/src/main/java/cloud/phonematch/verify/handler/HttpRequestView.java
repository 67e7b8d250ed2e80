package cloud.phonematch.verify.handler;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.verification.Caller;

/**
 * The parts of an API Gateway proxy event this function uses, the same for payload 1.0 and 2.0. Header
 * names are matched case-insensitively, as HTTP requires.
 *
 * @param headers one value per header name (lower case)
 * @param repeatedHeaders REST API's {@code multiValueHeaders} (lower-case names): every value of a header, in order;
 *     empty for an HTTP API, which joins the values of a repeated header with commas into one
 * @param caller who sent it, as the event names it ({@link CallerIdentities})
 */
record HttpRequestView(String method, String path, Map<String, String> headers,
        Map<String, List<String>> repeatedHeaders, String body, boolean base64, Caller caller) {

    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /**
     * Every value the request gave a header: REST API's list when it has one, else the one value (where an HTTP API
     * has joined repeated values with commas); empty when the header is absent.
     */
    List<String> headerValues(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        List<String> values = repeatedHeaders.get(key);
        if (values != null && !values.isEmpty()) {
            return values;
        }
        String value = headers.get(key);
        return value == null ? List.of() : List.of(value);
    }

    /** HTTP API, payload format 2.0. The stage prefix of a named stage is removed from the path. */
    static HttpRequestView fromV2(JsonNode event) {
        JsonNode http = event.path("requestContext").path("http");
        String path = stripStage(text(event, "rawPath", http.path("path").asText("")),
                event.path("requestContext").path("stage").asText(""));
        return new HttpRequestView(http.path("method").asText(""), path, headers(event.path("headers")), Map.of(),
                textOrNull(event.path("body")), event.path("isBase64Encoded").asBoolean(false),
                CallerIdentities.fromV2(event.path("requestContext")));
    }

    /** REST API proxy integration, payload format 1.0. */
    static HttpRequestView fromV1(JsonNode event) {
        Map<String, String> headers = headers(event.path("headers"));
        // multiValueHeaders carries the same headers with every value of a repeated one (headers has its last);
        // single-valued ones win, the first value otherwise.
        Map<String, List<String>> repeated = new TreeMap<>();
        event.path("multiValueHeaders").fields().forEachRemaining(e -> {
            if (e.getValue().isArray() && !e.getValue().isEmpty()) {
                String name = e.getKey().toLowerCase(Locale.ROOT);
                headers.putIfAbsent(name, e.getValue().get(0).asText());
                List<String> values = new ArrayList<>();
                e.getValue().forEach(v -> {
                    if (v.isValueNode() && !v.isNull()) {
                        values.add(v.asText());
                    }
                });
                repeated.merge(name, values, (a, b) -> {
                    List<String> all = new ArrayList<>(a);
                    all.addAll(b);
                    return all;
                });
            }
        });
        String path = stripStage(text(event, "path", event.path("requestContext").path("path").asText("")),
                event.path("requestContext").path("stage").asText(""));
        return new HttpRequestView(event.path("httpMethod").asText(""), path, headers, repeated,
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
