package cloud.phonematch.verify.handler;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an API Gateway request's correlation id comes from: the caller's {@code X-Request-Id}, else the
 * trace id of a W3C {@code traceparent}, else the Lambda request id (unique per invocation). A body
 * {@code correlation_id} overrides all three (see {@link RequestFields}). An {@code X-Request-Id} outside the
 * correlation id's rules is passed over here, so that its refusal ({@link RequestFields#checkRequestIdHeader}), or
 * the 404 or 405 of a request that is not read, carries an id all the same.
 */
final class CorrelationIds {
    /** W3C Trace Context: version-traceid-parentid-flags; an all-zero trace id is invalid. */
    private static final Pattern TRACEPARENT = Pattern.compile("^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$");

    private CorrelationIds() {
    }

    static String fromHeaders(String xRequestId, String traceparent, String lambdaRequestId) {
        String fromHeader = RequestFields.acceptableCorrelationId(xRequestId);
        if (fromHeader != null) {
            return fromHeader;
        }
        if (traceparent != null) {
            Matcher m = TRACEPARENT.matcher(traceparent.trim());
            if (m.matches() && !m.group(1).chars().allMatch(c -> c == '0')) {
                return m.group(1);
            }
        }
        return lambdaRequestId;
    }
}
