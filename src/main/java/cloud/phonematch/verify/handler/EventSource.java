package cloud.phonematch.verify.handler;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The kinds of caller, recognised by the shape of the event alone.
 * <ul>
 * <li>HTTP API payload 2.0: {@code version: "2.0"} and {@code requestContext.http}.</li>
 * <li>REST API proxy 1.0: {@code httpMethod} and {@code requestContext}.</li>
 * <li>Direct (Step Functions, {@code aws lambda invoke}): any other JSON object that is not another AWS
 * event (those carry {@code Records}, {@code requestContext}, {@code detail-type} or {@code source: aws.*}).</li>
 * </ul>
 */
public enum EventSource {
    HTTP_V2("http-v2"), HTTP_V1("http-v1"), DIRECT("direct"), UNKNOWN("unknown");

    private final String label;

    EventSource(String label) {
        this.label = label;
    }

    /** The label used in logs and metrics. */
    public String label() {
        return label;
    }

    public static EventSource of(JsonNode event) {
        if (event == null || !event.isObject()) {
            return UNKNOWN;
        }
        if ("2.0".equals(event.path("version").asText()) && event.path("requestContext").has("http")) {
            return HTTP_V2;
        }
        if (event.has("httpMethod") && event.has("requestContext")) {
            return HTTP_V1;
        }
        if (event.has("Records") || event.has("requestContext") || event.has("detail-type")
                || event.has("routeKey") || event.path("source").asText("").startsWith("aws.")) {
            return UNKNOWN;
        }
        return DIRECT;
    }
}
