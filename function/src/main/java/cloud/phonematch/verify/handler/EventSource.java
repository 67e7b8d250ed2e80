package cloud.phonematch.verify.handler;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The kinds of caller, recognised by the shape of the event alone, in this order:
 * <ol>
 * <li>Direct (Step Functions, {@code aws lambda invoke}): an object with a top-level {@code name} or
 * {@code mobile}, whatever else it carries. API Gateway never puts either at the top level of its events, and a
 * Step Functions state passes its whole input through, which may well hold a {@code source}, {@code Records} or
 * {@code requestContext} of its own; the request's unknown fields are ignored, so those must be too.</li>
 * <li>HTTP API payload 2.0: {@code version: "2.0"} and {@code requestContext.http}.</li>
 * <li>REST API proxy 1.0: {@code httpMethod} and {@code requestContext}.</li>
 * <li>Unknown: another AWS event sent here by mistake — it carries {@code Records}, {@code requestContext},
 * {@code detail-type}, {@code routeKey} or {@code source: aws.*} — or anything that is not a JSON object.</li>
 * <li>Direct: any other object (the request then says which field is missing).</li>
 * </ol>
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
        if (event.has("name") || event.has("mobile")) {
            return DIRECT;
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
