package cloud.phonematch.verify.upstream;

import static cloud.phonematch.verify.verification.UpstreamAnswer.RefusalKind.FINAL;
import static cloud.phonematch.verify.verification.UpstreamAnswer.RefusalKind.TOKEN_REJECTED;
import static cloud.phonematch.verify.verification.UpstreamAnswer.RefusalKind.UNCHARGED_TRANSIENT;

import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.verification.UpstreamAnswer.RefusalKind;

/**
 * The API's HTTP errors and what they mean to us, one row each. A row with a null code matches any code of
 * that status; rows with status 0 are the fallbacks for a whole class (4xx, 5xx). First match wins.
 * Messages are ours: the API's own message is never copied, since it could echo the request.
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
    TOO_MANY_REQUESTS(429, null, ErrorType.RATE_LIMITED, UNCHARGED_TRANSIENT,
            "the API is rate limiting requests"),
    GATEWAY_TIMEOUT(504, null, ErrorType.UPSTREAM_TIMEOUT, UNCHARGED_TRANSIENT,
            "the API timed out"),
    SERVER_ERROR(0, null, ErrorType.UPSTREAM_UNAVAILABLE, UNCHARGED_TRANSIENT,
            "the API is unavailable"),
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
