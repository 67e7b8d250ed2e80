package cloud.phonematch.verify.records;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.output.Outcome;
import cloud.phonematch.verify.output.ResultCode;
import cloud.phonematch.verify.output.VerificationStatus;
import cloud.phonematch.verify.precheck.PreCheckResult;
import cloud.phonematch.verify.verification.Verdict;

/**
 * A {@link Verdict} as a record keeps it: status, result code, masked number, who answered, the API's trace id and,
 * for a local refusal, its reason — no text in any language (the answer given again is worded in the language of the
 * request it is given to) and none of the invocation's own ids. Holds nothing the output did not already show.
 */
final class StoredOutcome {
    private StoredOutcome() {
    }

    static String write(Verdict verdict) {
        ObjectNode n = Json.object();
        n.put("status", verdict.status().name());
        n.put("result_code", verdict.code().code());
        n.put("mobile", verdict.maskedMobile());
        n.put("answered_by", verdict.answeredBy().name());
        n.put("upstream_trace_id", verdict.upstreamTraceId());
        if (verdict.rejection() != null) {
            n.put("rejection", verdict.rejection().name());
        }
        return Json.write(n);
    }

    /** The verdict a record holds; empty when the text is not one this class wrote (then it cannot be given again). */
    static Optional<Verdict> read(String stored) {
        return Json.parseObject(stored).flatMap(StoredOutcome::verdict);
    }

    private static Optional<Verdict> verdict(JsonNode n) {
        try {
            VerificationStatus status = VerificationStatus.valueOf(n.path("status").asText());
            Optional<ResultCode> code = ResultCode.of(n.path("result_code").asInt(Integer.MIN_VALUE));
            Outcome.AnsweredBy by = Outcome.AnsweredBy.valueOf(n.path("answered_by").asText());
            if (code.isEmpty() || code.get().status().orElse(null) != status || !n.path("mobile").isTextual()) {
                return Optional.empty();
            }
            return Optional.of(new Verdict(status, code.get(), n.path("mobile").asText(), by,
                    text(n, "upstream_trace_id"), by == Outcome.AnsweredBy.PRECHECK ? rejection(n, status) : null));
        } catch (IllegalArgumentException notOurs) {
            return Optional.empty();
        }
    }

    /** A local refusal's reason; one kept without it gets the reason that refuses the same field in general. */
    private static PreCheckResult.Reason rejection(JsonNode n, VerificationStatus status) {
        String stored = text(n, "rejection");
        if (stored != null) {
            return PreCheckResult.Reason.valueOf(stored);
        }
        return status == VerificationStatus.INVALID_MOBILE ? PreCheckResult.Reason.INVALID_MOBILE
                : PreCheckResult.Reason.INVALID_NAME;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isTextual() ? v.asText() : null;
    }
}
