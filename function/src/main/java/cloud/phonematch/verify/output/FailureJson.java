package cloud.phonematch.verify.output;

import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.phonematch.verify.json.Json;

/** Renders a {@link Failure} in the normalized error envelope: {@code {"error": {...}, "request_id"}}. */
public final class FailureJson {
    private FailureJson() {
    }

    public static ObjectNode toJson(Failure failure, String requestId) {
        ObjectNode error = Json.object();
        error.put("type", failure.type().name());
        error.put("message", failure.message());
        error.put("retryable", failure.retryable());
        failure.retryAfterSeconds().ifPresent(s -> error.put("retry_after_seconds", s));
        if (failure.calls() != null) {
            error.put("attempts", failure.calls().attempts());
            error.put("possibly_charged_attempts", failure.calls().possiblyCharged());
        }
        failure.upstreamStatus().ifPresent(s -> error.put("upstream_status", s));
        if (failure.upstreamCode() != null) {
            error.put("upstream_code", failure.upstreamCode());
        }
        if (failure.circuitOpen()) {
            error.put("circuit_open", true);
        }
        if (failure.outcomeUnknown()) {
            error.put("outcome_unknown", true);
        }
        ObjectNode root = Json.object();
        root.set("error", error);
        root.put("request_id", requestId);
        return root;
    }

    public static String render(Failure failure, String requestId) {
        return Json.write(toJson(failure, requestId));
    }
}
