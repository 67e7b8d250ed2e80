package cloud.phonematch.verify.sandbox;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

import cloud.phonematch.verify.output.ResultCode;
import cloud.phonematch.verify.precheck.MobileNumbers;
import cloud.phonematch.verify.precheck.PersonNames;
import cloud.phonematch.verify.verification.UpstreamAnswer;
import cloud.phonematch.verify.verification.UpstreamCall;
import cloud.phonematch.verify.verification.VerificationGateway;

/**
 * The in-process stand-in for the API ({@code VERIFY_UPSTREAM=sandbox}): no token, no network, and a
 * deterministic answer by the number's last digit so that every branch of a caller's workflow can be
 * exercised on purpose. Like the API, it judges name and number itself when the pre-check is off. It says so: its
 * answers are {@code checked_upstream: false} with {@code attempts: 0}, and its engine errors carry the result code it
 * played but no {@code upstream_status}, since no API answered.
 */
@ApplicationScoped
@Typed(SandboxVerificationGateway.class)
public class SandboxVerificationGateway implements VerificationGateway {

    /** Index = last digit of the number. */
    private static final ResultCode[] BY_LAST_DIGIT = {
            ResultCode.CONSISTENT, // 0
            ResultCode.INCONSISTENT, // 1
            ResultCode.NO_RECORD, // 2
            ResultCode.ENGINE_UNKNOWN_ERROR, // 3
            ResultCode.ENGINE_SERVICE_EXCEPTION, // 4
            ResultCode.DAILY_LIMIT_EXCEEDED, // 5
            ResultCode.CONSISTENT, // 6
            ResultCode.CONSISTENT, // 7
            ResultCode.CONSISTENT, // 8
            ResultCode.CONSISTENT, // 9
    };

    @Override
    public UpstreamAnswer check(UpstreamCall call, Duration timeout) {
        return UpstreamAnswer.played(answerFor(call.name(), call.mobile()));
    }

    static ResultCode answerFor(String name, String mobile) {
        if (!PersonNames.isValid(name)) {
            return ResultCode.INVALID_NAME;
        }
        if (!MobileNumbers.isValidMainlandMobile(mobile)) {
            return ResultCode.INVALID_MOBILE;
        }
        return BY_LAST_DIGIT[mobile.charAt(mobile.length() - 1) - '0'];
    }

    @Override
    public boolean requiresToken() {
        return false;
    }

    @Override
    public boolean charges() {
        return false;
    }

    /** Its answers are no calls: {@code attempts} stays 0 and {@code checked_upstream} false. */
    @Override
    public boolean callsTheApi() {
        return false;
    }
}
