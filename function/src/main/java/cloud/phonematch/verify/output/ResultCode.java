package cloud.phonematch.verify.output;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The API's result codes as one table: each code either is a business answer ({@link VerificationStatus})
 * or a failure ({@link ErrorType}), with its description in English and Chinese. Adding a code is one row.
 */
public enum ResultCode {
    CONSISTENT(0, VerificationStatus.CONSISTENT, null,
            "Verification result is consistent", "验证结果一致"),
    INCONSISTENT(1, VerificationStatus.INCONSISTENT, null,
            "Verification result is inconsistent", "验证结果不一致"),
    NO_RECORD(-1, VerificationStatus.NO_RECORD, null,
            "No record found", "查无记录"),
    ENGINE_UNKNOWN_ERROR(-2, null, ErrorType.ENGINE_ERROR,
            "Unknown engine error", "引擎未知错误"),
    ENGINE_SERVICE_EXCEPTION(-3, null, ErrorType.ENGINE_ERROR,
            "Engine service exception", "引擎服务异常"),
    INVALID_NAME(-4, VerificationStatus.INVALID_NAME, null,
            "Name verification failed", "姓名校验不通过"),
    INVALID_MOBILE(-5, VerificationStatus.INVALID_MOBILE, null,
            "Mobile number is invalid", "手机号码不合法"),
    DAILY_LIMIT_EXCEEDED(-6, VerificationStatus.DAILY_LIMIT_EXCEEDED, null,
            "Authentication attempts exceeded the daily limit, please try again the next day",
            "认证次数超过当日限制，请次日重试");

    private static final Map<Integer, ResultCode> BY_CODE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(ResultCode::code, Function.identity()));

    private final int code;
    private final VerificationStatus status;
    private final ErrorType errorType;
    private final String english;
    private final String chinese;

    ResultCode(int code, VerificationStatus status, ErrorType errorType, String english, String chinese) {
        this.code = code;
        this.status = status;
        this.errorType = errorType;
        this.english = english;
        this.chinese = chinese;
    }

    public int code() {
        return code;
    }

    /** The business answer, or empty when this code is a failure (see {@link #errorType()}). */
    public Optional<VerificationStatus> status() {
        return Optional.ofNullable(status);
    }

    public Optional<ErrorType> errorType() {
        return Optional.ofNullable(errorType);
    }

    public String description(Language language) {
        return language == Language.ZH ? chinese : english;
    }

    public static Optional<ResultCode> of(int code) {
        return Optional.ofNullable(BY_CODE.get(code));
    }

    /** The code a local pre-check answer reports, so callers see the same code the API would have given. */
    public static ResultCode forLocalRejection(VerificationStatus status) {
        return status == VerificationStatus.INVALID_NAME ? INVALID_NAME : INVALID_MOBILE;
    }
}
