package cloud.phonematch.verify.precheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import cloud.phonematch.verify.precheck.PreCheckResult.Passed;
import cloud.phonematch.verify.precheck.PreCheckResult.Reason;
import cloud.phonematch.verify.precheck.PreCheckResult.Rejected;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    @Test
    void permissiveModeAlwaysPassesTheNormalizedValues() {
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
