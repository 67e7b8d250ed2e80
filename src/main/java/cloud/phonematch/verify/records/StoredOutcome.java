package cloud.phonematch.verify.records;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.phonematch.verify.output.Json;
import cloud.phonematch.verify.output.Outcome;
import cloud.phonematch.verify.output.ResultCode;
import cloud.phonematch.verify.output.VerificationStatus;

/**
 * An outcome as a record keeps it for replay: what the caller was told (status, code, texts in the request's
 * language, masked number, carrier, who answered, the API's trace id), none of the invocation's own ids. Holds
 * nothing the output did not already show.
 */
final class StoredOutcome {
    private StoredOutcome() {
    }

    static String write(Outcome outcome) {
        ObjectNode n = Json.object();
        n.put("status", outcome.status().name());
        n.put("result_code", outcome.resultCode().code());
        n.put("description", outcome.description());
        n.put("hint", outcome.hint());
        n.put("mobile", outcome.maskedMobile());
        n.put("carrier", outcome.carrier());
        n.put("answered_by", outcome.answeredBy().name());
        n.put("upstream_trace_id", outcome.upstreamTraceId());
        return Json.write(n);
    }

    /**
     * The outcome a record holds, with placeholder ids and no attempts; empty when the text is not one this class
     * wrote (then the answer cannot be replayed).
     */
    static Optional<Outcome> read(String stored) {
        return Json.parseObject(stored).flatMap(StoredOutcome::outcome);
    }

    private static Optional<Outcome> outcome(JsonNode n) {
        try {
            VerificationStatus status = VerificationStatus.valueOf(n.path("status").asText());
            Optional<ResultCode> code = ResultCode.of(n.path("result_code").asInt(Integer.MIN_VALUE));
            Outcome.AnsweredBy by = Outcome.AnsweredBy.valueOf(n.path("answered_by").asText());
            if (code.isEmpty() || code.get().status().orElse(null) != status || !n.path("description").isTextual()
                    || !n.path("mobile").isTextual()) {
                return Optional.empty();
            }
            return Optional.of(new Outcome(status, code.get(), n.path("description").asText(),
                    n.path("mobile").asText(), text(n, "carrier"), by, 0, null, null, text(n, "upstream_trace_id"), 0,
                    text(n, "hint")));
        } catch (IllegalArgumentException notOurs) {
            return Optional.empty();
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isTextual() ? v.asText() : null;
    }
}
