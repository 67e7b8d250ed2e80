package cloud.phonematch.verify.upstream;

import static cloud.phonematch.verify.verification.UpstreamAnswer.RefusalKind.FINAL;
import static cloud.phonematch.verify.verification.UpstreamAnswer.RefusalKind.TOKEN_REJECTED;
import static cloud.phonematch.verify.verification.UpstreamAnswer.RefusalKind.TRANSIENT;

import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.verification.UpstreamAnswer.RefusalKind;

/**
 * The API's HTTP errors and what they mean to us, one row each. A row with a null code matches any code of
 * that status; rows with status 0 are the fallbacks for a whole class (4xx, 5xx). First match wins.
 * Messages are ours: the API's own message is never copied, since it could echo the request.
 * <p>
 * Money is not decided here: whether a status may have been charged is the
 * {@link cloud.phonematch.verify.verification.ChargeRule}'s ({@code errorStatus}), so a row says only what the status
 * means and whether a rotated token or another try could help.
 */
enum UpstreamErrorRule {
    TOKEN_MISMATCHED(400, "token_mismatched", ErrorType.UPSTREAM_AUTH, TOKEN_REJECTED,
            "the API rejected the token for this API"),
    API_NOT_IMPLEMENTED(400, "api_not_implemented", ErrorType.UPSTREAM_CONTRACT, FINAL,
            "the API says this endpoint is not implemented"),
    BAD_REQUEST(400, null, ErrorType.UPSTREAM_CONTRACT, FINAL,
            "the API rejected the request as malformed"),
    INVALID_TOKEN(401, null, ErrorType.UPSTREAM_AUTH, TOKEN_REJECTED,
            "the API rejected the token"),
    USED_UP(403, "used_up", ErrorType.QUOTA_EXHAUSTED, FINAL,
            "the API account's balance is exhausted"),
    FORBIDDEN(403, null, ErrorType.UPSTREAM_AUTH, FINAL,
            "the API refused access to this API"),
    TOO_MANY_REQUESTS(429, null, ErrorType.RATE_LIMITED, TRANSIENT,
            "the API is rate limiting requests"),
    INTERNAL_ERROR(500, null, ErrorType.UPSTREAM_UNAVAILABLE, TRANSIENT,
            "the API failed before answering"),
    SERVICE_UNAVAILABLE(503, null, ErrorType.UPSTREAM_UNAVAILABLE, TRANSIENT,
            "the API is unavailable"),
    BAD_GATEWAY(502, null, ErrorType.UPSTREAM_UNAVAILABLE, TRANSIENT,
            "a gateway in front of the API got no usable answer from it"),
    GATEWAY_TIMEOUT(504, null, ErrorType.UPSTREAM_TIMEOUT, TRANSIENT,
            "a gateway in front of the API stopped waiting for it"),
    SERVER_ERROR(0, null, ErrorType.UPSTREAM_UNAVAILABLE, TRANSIENT,
            "the API failed with a server error it does not document"),
    CLIENT_ERROR(0, null, ErrorType.UPSTREAM_CONTRACT, FINAL,
            "the API rejected the request");

    final int status;
    final String code;
    final ErrorType type;
    final RefusalKind kind;
    final String message;

    UpstreamErrorRule(int status, String code, ErrorType type, RefusalKind kind, String message) {
        this.status = status;
        this.code = code;
        this.type = type;
        this.kind = kind;
        this.message = message;
    }

    static UpstreamErrorRule match(int httpStatus, String errorCode) {
        for (UpstreamErrorRule rule : values()) {
            if (rule.status == httpStatus && (rule.code == null || rule.code.equals(errorCode))) {
                return rule;
            }
        }
        return httpStatus >= 500 ? SERVER_ERROR : CLIENT_ERROR;
    }
}
