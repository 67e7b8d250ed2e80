package cloud.phonematch.verify.precheck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class MobileNumbersNormalizeTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            13912345678              | 13912345678
            '  13912345678  '        | 13912345678
            '139 1234 5678'          | 13912345678
            139-1234-5678            | 13912345678
            '+86 139-1234-5678'      | 13912345678
            +8613912345678           | 13912345678
            '0086 13912345678'       | 13912345678
            008613912345678          | 13912345678
            '86 13912345678'         | 13912345678
            8613912345678            | 13912345678
            '+86 (139) 1234 5678'    | +86(139)12345678
            (139)12345678            | (139)12345678
            139.1234.5678            | 139.1234.5678
            86139123456              | 86139123456
            861391234567             | 861391234567
            +86139123456789          | +86139123456789
            +861391234567            | +861391234567
            00861391234567           | 00861391234567
            +08613912345678          | +08613912345678
            0086+13912345678         | 0086+13912345678
            868613912345678          | 868613912345678
            +86                      | +86
            1391234567a              | 1391234567a
            """)
    void stripsSpacesHyphensAndCountryPrefixButKeepsEverythingElse(String raw, String expected) {
        assertEquals(expected, MobileNumbers.normalize(raw));
    }

    static Stream<Arguments> unicodeInputs() {
        return Stream.of(
                Arguments.of("full-width digits", "１３９１２３４５６７８", "13912345678"),
                Arguments.of("full-width plus, digits, spaces and hyphens",
                        "＋８６\u3000１３９－１２３４－５６７８", "13912345678"),
                Arguments.of("ideographic spaces U+3000", "\u3000139\u30001234\u30005678\u3000", "13912345678"),
                Arguments.of("tab and newline", "139\t1234\n5678", "13912345678"),
                Arguments.of("no-break spaces", "139\u00A01234\u202F5678", "13912345678"),
                Arguments.of("hyphen and en dash", "139\u20101234\u20135678", "13912345678"),
                Arguments.of("non-breaking hyphen and em dash", "139\u20111234\u20145678", "13912345678"),
                Arguments.of("minus sign and horizontal bar", "139\u22121234\u20155678", "13912345678"),
                Arguments.of("full-width hyphen-minus", "139\uFF0D1234\uFF0D5678", "13912345678"),
                Arguments.of("full-width 0086 prefix", "００８６１３９１２３４５６７８", "13912345678"),
                Arguments.of("full-width parentheses are kept (NFKC makes them ASCII)",
                        "（139）12345678", "(139)12345678"),
                Arguments.of("Arabic-Indic digits are kept, not converted",
                        "\u0661\u0663\u0669", "\u0661\u0663\u0669"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("unicodeInputs")
    void normalizesUnicodeInput(String description, String raw, String expected) {
        assertEquals(expected, MobileNumbers.normalize(raw));
    }

    @Test
    void nullAndBlankBecomeEmpty() {
        assertEquals("", MobileNumbers.normalize(null));
        assertEquals("", MobileNumbers.normalize(""));
        assertEquals("", MobileNumbers.normalize(" \u3000\t- "));
    }

    @Test
    void combiningMarkMadeAdjacentByRemovingASpaceIsComposed() {
        // "e", space, COMBINING ACUTE: removing the space must yield the composed "é" so that a
        // second normalize() has nothing left to do.
        assertEquals("\u00E9", MobileNumbers.normalize("e \u0301"));
    }
}
