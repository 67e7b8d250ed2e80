package cloud.phonematch.verify.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import cloud.phonematch.verify.output.ResultCode;

/** The sandbox table: the last digit decides, names and numbers are judged like the API would. */
class SandboxVerificationGatewayTest {

    @ParameterizedTest(name = "…{0} -> {1}")
    @CsvSource({
            "13912345670, CONSISTENT", "13912345671, INCONSISTENT", "13912345672, NO_RECORD",
            "13912345673, ENGINE_UNKNOWN_ERROR", "13912345674, ENGINE_SERVICE_EXCEPTION",
            "13912345675, DAILY_LIMIT_EXCEEDED", "13912345676, CONSISTENT", "13912345677, CONSISTENT",
            "13912345678, CONSISTENT", "13912345679, CONSISTENT", "12345678901, INVALID_MOBILE" })
    void answersByLastDigit(String mobile, ResultCode expected) {
        assertEquals(expected, SandboxVerificationGateway.answerFor("张三丰", mobile));
    }

    @ParameterizedTest
    @CsvSource({ "张3", "X" })
    void judgesNamesWhenThePreCheckIsOff(String name) {
        assertEquals(ResultCode.INVALID_NAME, SandboxVerificationGateway.answerFor(name, "13912345670"));
    }
}
