package cloud.phonematch.verify.precheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class MobileNumbersValidationTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "13912345678", // China Mobile
        "13812345678", // China Mobile
        "18612345678", // China Unicom
        "18912345678", // China Telecom
        "19912345678", // China Telecom 199
        "17712345678", // China Telecom
        "13800000000",
        "18699999999"
    })
    void acceptsMobilesInDocumentedSegments(String mobile) {
        assertTrue(MobileNumbers.isValidMainlandMobile(mobile));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "12345678901", // 123 is a service segment, not a subscriber one
        "10012345678",
        "11012345678",
        "12012345678",
        "12312345678",
        "01012345678", // Beijing landline: valid CN number, but FIXED_LINE
        "02112345678", // Shanghai landline
        "1391234567", // 10 digits
        "139123456789", // 12 digits
        "1391234567a",
        "139 1234 5678", // not normalized
        "+8613912345678", // not normalized
        "１３９１２３４５６７８", // full-width digits are not ASCII digits
        "\u0661\u0663\u0669\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668" // Arabic-Indic digits
    })
    void rejectsEverythingElse(String candidate) {
        assertFalse(MobileNumbers.isValidMainlandMobile(candidate));
    }

    @ParameterizedTest
    @NullAndEmptySource
    void rejectsNullAndEmpty(String candidate) {
        assertFalse(MobileNumbers.isValidMainlandMobile(candidate));
    }

    @Test
    void validatesNormalizedInputFromTheWild() {
        assertTrue(MobileNumbers.isValidMainlandMobile(MobileNumbers.normalize("＋８６　１３９－１２３４－５６７８")));
        assertTrue(MobileNumbers.isValidMainlandMobile(MobileNumbers.normalize("0086 139 1234 5678")));
    }

    /** Segments outside the documented fixtures (e.g. 140) follow libphonenumber's own verdict. */
    @ParameterizedTest
    @ValueSource(strings = {"14012345678", "14512345678", "16212345678", "19212345678", "17412345678"})
    void agreesWithLibphonenumberOnUndocumentedSegments(String candidate) throws NumberParseException {
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        PhoneNumber number = util.parse(candidate, "CN");
        PhoneNumberType type = util.getNumberType(number);
        boolean expected = util.isValidNumberForRegion(number, "CN")
                && (type == PhoneNumberType.MOBILE || type == PhoneNumberType.FIXED_LINE_OR_MOBILE);
        assertEquals(expected, MobileNumbers.isValidMainlandMobile(candidate));
    }

    @Test
    void libraryHolderExposesTheSharedSingletons() {
        assertSame(PhoneNumberUtil.getInstance(), PhoneNumberLibrary.phoneNumberUtil());
        assertSame(PhoneNumberLibrary.carrierMapper(), PhoneNumberLibrary.carrierMapper());
    }

    /**
     * The pre-check builds the number from digits that begin with 1 instead of parsing them; it must be the very
     * number libphonenumber's parse returns, for every four-digit start 1000–1999 with low, middle and high
     * endings (so every segment, every service prefix and the 1[12]xx / 179xx carrier-code prefixes CN's
     * metadata strips when parsing).
     */
    @Test
    void digitsBeginningWithOneBecomeTheNumberParseWouldGive() throws NumberParseException {
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        int compared = 0;
        for (int start = 1000; start <= 1999; start++) {
            for (String ending : new String[] { "0000000", "4567890", "9999999" }) {
                String digits = start + ending;
                assertEquals(util.parse(digits, "CN"), MobileNumbers.toPhoneNumber(digits), digits);
                compared++;
            }
        }
        assertEquals(3000, compared);
    }

    @Test
    void otherDigitsAreParsed() throws NumberParseException {
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        for (String digits : new String[] { "01012345678", "00123456789", "86139123456", "23456789012" }) {
            assertEquals(util.parse(digits, "CN"), MobileNumbers.toPhoneNumber(digits), digits);
        }
    }
}
