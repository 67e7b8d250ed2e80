package cloud.phonematch.verify.precheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Expected names are those shipped in libphonenumber carrier metadata 2.6. */
class MobileNumbersCarrierTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            13912345678 | China Mobile  | 中国移动 | 中國移動
            13812345678 | China Mobile  | 中国移动 | 中國移動
            15012345678 | China Mobile  | 中国移动 | 中國移動
            18612345678 | China Unicom  | 中国联通 | 中國聯通
            13012345678 | China Unicom  | 中国联通 | 中國聯通
            18912345678 | China Telecom | 中国电信 | 中國電信
            19912345678 | China Telecom | 中国电信 | 中國電信
            17712345678 | China Telecom | 中国电信 | 中國電信
            """)
    void namesTheCarrierInEnglishSimplifiedAndTraditionalChinese(
            String mobile, String english, String simplified, String traditional) {
        assertEquals(Optional.of(english), MobileNumbers.carrier(mobile, Locale.ENGLISH));
        assertEquals(Optional.of(simplified), MobileNumbers.carrier(mobile, Locale.SIMPLIFIED_CHINESE));
        assertEquals(Optional.of(simplified), MobileNumbers.carrier(mobile, Locale.CHINESE));
        assertEquals(Optional.of(traditional), MobileNumbers.carrier(mobile, Locale.TRADITIONAL_CHINESE));
    }

    @Test
    void fallsBackToEnglishWhenTheLanguageHasNoNameForTheSegment() {
        // carrier 2.6 has only an English entry ("CBN", China Broadnet) for the 192 segment
        assertEquals(Optional.of("CBN"), MobileNumbers.carrier("19212345678", Locale.ENGLISH));
        assertEquals(Optional.of("CBN"), MobileNumbers.carrier("19212345678", Locale.SIMPLIFIED_CHINESE));
    }

    @Test
    void usesEnglishForLanguagesWithoutCarrierData() {
        assertEquals(Optional.of("China Mobile"), MobileNumbers.carrier("13912345678", Locale.FRENCH));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"12345678901", "1391234567", "01012345678", "+86 139-1234-5678"})
    void isEmptyForAnythingThatIsNotAValidNormalizedMobile(String candidate) {
        assertEquals(Optional.empty(), MobileNumbers.carrier(candidate, Locale.ENGLISH));
    }

    @Test
    void rejectsNullLocaleWithoutRevealingTheNumber() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> MobileNumbers.carrier("13912345678", null));
        assertEquals("locale", e.getMessage());
        assertFalse(e.getMessage().contains("1391"));
    }
}
