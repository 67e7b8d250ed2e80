package cloud.phonematch.verify.precheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.phonematch.verify.precheck.PreCheckResult.Passed;
import cloud.phonematch.verify.precheck.PreCheckResult.Reason;
import cloud.phonematch.verify.precheck.PreCheckResult.Rejected;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class PreCheckTest {

    private final PreCheck enforcing = new PreCheck(true);
    private final PreCheck permissive = new PreCheck(false);

    @ParameterizedTest(name = "[{index}] {0} / {1}")
    @CsvSource(delimiter = '|', textBlock = """
            张三                | 13912345678          | 张三              | 13912345678
            ' 阿依古丽 ・ 买买提 ' | '+86 139-1234-5678'  | 阿依古丽·买买提    | 13912345678
            'John  Smith'       | '0086 18612345678'   | John Smith        | 18612345678
            Ｏ'Ｎｅｉｌ          | １９９１２３４５６７８   | O'Neil            | 19912345678
            """)
    void passesNormalizedValuesWhenBothAreValid(String rawName, String rawMobile, String name, String mobile) {
        assertEquals(new Passed(name, mobile, MobileNumbers.mainlandMobile(mobile)), enforcing.check(rawName, rawMobile));
        assertEquals(new Passed(name, mobile), permissive.check(rawName, rawMobile));
    }

    /** The enforcing check hands on the number it validated, so the carrier lookup does not parse it again. */
    @Test
    void enforcingCheckKeepsTheValidatedNumberForTheCarrierLookup() {
        Passed passed = (Passed) enforcing.check("张三", "+86 139-1234-5678");
        MainlandMobile validated = passed.validated().orElseThrow();
        assertEquals(MobileNumbers.carrier("13912345678", Locale.ENGLISH), validated.carrier(Locale.ENGLISH));
        assertEquals("China Mobile", validated.carrier(Locale.ENGLISH).orElseThrow());
        assertEquals("MainlandMobile[139****5678]", validated.toString());
        assertEquals(Optional.empty(), ((Passed) permissive.check("张三", "13912345678")).validated(),
                "the permissive check validates nothing");
    }

    @ParameterizedTest(name = "[{index}] {0} / {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            张3     | 13912345678       | INVALID_NAME   | 139****5678
            张      | 13912345678       | INVALID_NAME   | 139****5678
            张3     | 12345678901       | INVALID_NAME   | 123****8901
            NULL    | NULL              | INVALID_NAME   | ''
            张三    | 12345678901       | INVALID_MOBILE | 123****8901
            张三    | '+86 139-1234'    | INVALID_MOBILE | **********
            张三    | 01012345678       | INVALID_MOBILE | 010****5678
            张三    | NULL              | INVALID_MOBILE | ''
            """)
    void rejectsWithTheNameWinningWhenBothAreInvalid(
            String rawName, String rawMobile, Reason reason, String maskedMobile) {
        assertEquals(new Rejected(reason, maskedMobile), enforcing.check(rawName, rawMobile));
    }

    /** A space next to a Han character is refused whether or not the pre-check enforces its other rules. */
    @ParameterizedTest(name = "[{index}] {0} / {1}")
    @CsvSource(delimiter = '|', textBlock = """
            阿依古丽 买买提   | 13912345678   | 139****5678
            '张 Wei'         | 13912345678   | 139****5678
            'Wei  张'        | 13912345678   | 139****5678
            欧阳 娜娜 娜      | 12345678901   | 123****8901
            """)
    void refusesASpaceNextToAHanCharacterInBothModes(String rawName, String rawMobile, String maskedMobile) {
        Rejected expected = new Rejected(Reason.SPACE_NEXT_TO_HAN, maskedMobile);
        assertEquals(expected, enforcing.check(rawName, rawMobile));
        assertEquals(expected, permissive.check(rawName, rawMobile));
    }

    @Test
    void theNameRuleComesBeforeTheSpacingRuleWhenEnforcing() {
        assertEquals(new Rejected(Reason.INVALID_NAME, "139****5678"), enforcing.check("张 3", "13912345678"));
        assertEquals(new Rejected(Reason.SPACE_NEXT_TO_HAN, "139****5678"), permissive.check("张 3", "13912345678"));
    }

    @Test
    void aShortChineseNameTypedWithSpacesPassesWithoutThem() {
        assertEquals(new Passed("王小明", "13912345678", MobileNumbers.mainlandMobile("13912345678")),
                enforcing.check("王 小 明", "13912345678"));
        assertEquals(new Passed("欧阳娜娜", "13912345678"), permissive.check("欧阳 娜娜", "13912345678"));
    }

    @Test
    void everyReasonHasItsHint() {
        assertEquals(Set.of(Reason.values()), hints().map(a -> (Reason) a.get()[0]).collect(Collectors.toSet()));
    }

    @Test
    void everyReasonSaysWhichFieldItRefuses() {
        assertTrue(Reason.INVALID_NAME.refusesName());
        assertTrue(Reason.SPACE_NEXT_TO_HAN.refusesName());
        assertFalse(Reason.INVALID_MOBILE.refusesName());
    }

    static Stream<Arguments> hints() {
        return Stream.of(
                Arguments.of(Reason.INVALID_NAME,
                        "Send the name as registered: 2 to 64 Chinese characters or Latin letters, with one space,"
                                + " hyphen, apostrophe or '·' between parts and no digits or other symbols.",
                        "请填写登记的姓名：2 至 64 个汉字或拉丁字母，各部分之间只能有一个空格、连字符、撇号或“·”，"
                                + "不能含数字或其他符号。"),
                Arguments.of(Reason.SPACE_NEXT_TO_HAN,
                        "Write a Chinese name without spaces; join the parts of a transliterated name with '·'"
                                + " instead of a space.",
                        "中文姓名请不要加空格；音译姓名的各部分请用“·”连接，不要用空格。"),
                Arguments.of(Reason.INVALID_MOBILE,
                        "Send an 11-digit mainland China mobile number; a +86, 0086 or 86 prefix, spaces and"
                                + " hyphens are accepted.",
                        "请填写 11 位中国大陆手机号码；可带 +86、0086 或 86 前缀，可含空格和连字符。"));
    }

    /** The hints callers show, in both languages, word for word; one per reason. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("hints")
    void everyReasonHasAHintInEnglishAndChinese(Reason reason, String english, String chinese) {
        assertEquals(english, reason.hint(Locale.ENGLISH));
        assertEquals(english, reason.hint(Locale.FRENCH), "English for any language but Chinese");
        assertEquals(chinese, reason.hint(Locale.SIMPLIFIED_CHINESE));
        assertEquals(chinese, reason.hint(Locale.TRADITIONAL_CHINESE));
    }

    @Test
    void permissiveModePassesTheNormalizedValuesOfAnyOtherInput() {
        assertEquals(new Passed("张3", "12345678901"), permissive.check(" 张3 ", "123-4567-8901"));
        assertEquals(new Passed("", ""), permissive.check(null, null));
        assertEquals(new Passed("·张三", "+86139"), permissive.check("・张三", "+86 139"));
    }

    @Test
    void passedToStringShowsOnlyLengthAndMask() {
        Passed passed = new Passed("欧阳娜娜", "13912345678");
        assertEquals("Passed[name=4 code points, mobile=139****5678]", passed.toString());
        assertEquals("Passed[name=2 code points, mobile=139****5678]",
                new Passed("𠀋一", "13912345678").toString());
        assertFalse(passed.toString().contains("欧"));
        assertFalse(passed.toString().contains("1234"));
    }

    @Test
    void rejectedToStringShowsOnlyTheMask() {
        Rejected rejected = (Rejected) enforcing.check("张三", "12345678901");
        assertEquals("Rejected[reason=INVALID_MOBILE, maskedMobile=123****8901]", rejected.toString());
        assertFalse(rejected.toString().contains("张"));
    }

    @Test
    void resultComponentsAreNeverNullAndErrorsNameOnlyTheField() {
        assertEquals("name", assertThrows(NullPointerException.class, () -> new Passed(null, "1")).getMessage());
        assertEquals("mobile", assertThrows(NullPointerException.class, () -> new Passed("张三", null)).getMessage());
        assertEquals("validated",
                assertThrows(NullPointerException.class, () -> new Passed("张三", "1", null)).getMessage());
        assertEquals("reason", assertThrows(NullPointerException.class, () -> new Rejected(null, "")).getMessage());
        assertEquals("maskedMobile",
                assertThrows(NullPointerException.class, () -> new Rejected(Reason.INVALID_NAME, null)).getMessage());
    }

    @Test
    void resultIsExhaustivelySwitchable() {
        String outcome = switch (enforcing.check("张三", "13912345678")) {
            case Passed p -> "call upstream with " + p.mobile().length() + " digits";
            case Rejected r -> "reject " + r.reason();
        };
        assertEquals("call upstream with 11 digits", outcome);
    }

    @Test
    void toStringShowsTheMode() {
        assertEquals("PreCheck[enforce=true]", enforcing.toString());
        assertEquals("PreCheck[enforce=false]", permissive.toString());
    }
}
