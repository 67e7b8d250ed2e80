package cloud.phonematch.verify.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The descriptions callers read are the API's own documented texts, word for word, so that a caller who looks a
 * code up in the API's documentation finds the sentence the function answered with.
 */
class ResultCodeTableTest {

    @ParameterizedTest(name = "{0}: {1} / {2}")
    @CsvSource(delimiter = '|', textBlock = """
             0 | Verification result is consistent                                               | 验证结果一致
             1 | Verification result is inconsistent                                             | 验证结果不一致
            -1 | No record found                                                                 | 查无记录
            -2 | Unknown engine error                                                            | 引擎未知错误
            -3 | Engine service exception                                                        | 引擎服务异常
            -4 | Name verification failed                                                        | 姓名校验不通过
            -5 | Mobile number is invalid                                                        | 手机号码不合法
            -6 | Authentication attempts exceeded the daily limit, please try again the next day | 认证次数超过当日限制，请次日重试
            """)
    void describesEachCodeWithTheApisDocumentedText(int code, String english, String chinese) {
        ResultCode row = ResultCode.of(code).orElseThrow();

        assertEquals(english, row.description(Language.EN));
        assertEquals(chinese, row.description(Language.ZH));
    }

    @Test
    void theTableHasExactlyTheDocumentedCodes() {
        Map<Integer, ResultCode> byCode = Arrays.stream(ResultCode.values())
                .collect(Collectors.toMap(ResultCode::code, Function.identity(), (a, b) -> a, TreeMap::new));

        assertEquals(List.of(-6, -5, -4, -3, -2, -1, 0, 1), List.copyOf(byCode.keySet()));
        assertEquals(ResultCode.values().length, byCode.size(), "one row per code");
    }
}
