package cloud.phonematch.verify.precheck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class MobileNumbersMaskTest {

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            13912345678     | 139****5678
            18600000000     | 186****0000
            139123456789    | 139****6789
            1391234567      | **********
            139123          | ******
            123             | ***
            1               | *
            abc12345678     | *******5678
            +8613912345678  | *86****5678
            (139)12345678   | *13****5678
            """)
    void keepsFirstThreeAndLastFourOfLongInputAndHidesShortInputCompletely(String normalized, String expected) {
        assertEquals(expected, MobileNumbers.mask(normalized));
    }

    static Stream<Arguments> nonDigitInputs() {
        return Stream.of(
                // a name typed into the mobile field must not leak through the mask
                Arguments.of("张三李四王五赵六钱七孙", "***********"),
                Arguments.of("张三李四王五赵六钱七孙周吴", "***********"),
                // supplementary characters count once each (5 code points, 10 chars)
                Arguments.of("𠀋𠀋𠀋𠀋𠀋", "*****"),
                Arguments.of("𠀋𠀋𠀋12345678", "*******5678"));
    }

    @ParameterizedTest
    @MethodSource("nonDigitInputs")
    void revealsOnlyAsciiDigits(String normalized, String expected) {
        assertEquals(expected, MobileNumbers.mask(normalized));
    }

    @Test
    void nullAndEmptyBecomeEmpty() {
        assertEquals("", MobileNumbers.mask(null));
        assertEquals("", MobileNumbers.mask(""));
    }
}
