package cloud.phonematch.verify.precheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class MobileNumbersPropertiesTest {

    /** Segments whose every 8-digit suffix libphonenumber 9.0.6 reports as a CN mobile. */
    private static final List<String> REAL_SEGMENTS = List.of(
            "30", "31", "32", "33", "35", "36", "37", "38", "39",
            "50", "51", "52", "53", "55", "56", "57", "58", "59",
            "66", "73", "75", "76", "77", "78",
            "80", "81", "82", "83", "84", "85", "86", "87", "88", "89", "98", "99");

    private static final List<String> COUNTRY_PREFIXES = List.of("", "+86", "0086", "86", "＋８６", "００８６");

    private static final List<String> GROUPING = List.of("", " ", "-", "\u3000", "\u2013", "\u2212", "\t", "\u00A0");

    @Property(tries = 300)
    void normalizeIsIdempotent(@ForAll("mobileLikeText") String raw) {
        String once = MobileNumbers.normalize(raw);
        assertEquals(once, MobileNumbers.normalize(once));
    }

    @Property(tries = 300)
    void realMobilesInAnyWrappingAreValidAfterNormalize(
            @ForAll("wrappedRealMobiles") WrappedMobile wrapped) {
        String normalized = MobileNumbers.normalize(wrapped.raw());
        assertEquals(wrapped.digits(), normalized);
        assertTrue(MobileNumbers.isValidMainlandMobile(normalized));
    }

    /**
     * A plain "does not contain the middle four" substring check would be wrong: for 13956785678
     * the middle "5678" equals the visible tail. What must hold is that positions 3 to 6 are stars.
     */
    @Property(tries = 300)
    void maskHidesTheMiddleFourDigitsOfElevenDigitInput(@ForAll("elevenDigits") String digits) {
        String masked = MobileNumbers.mask(digits);
        assertEquals(digits.substring(0, 3) + "****" + digits.substring(7), masked);
        assertEquals("****", masked.substring(3, 7));
    }

    @Property(tries = 300)
    void maskIsShortAsciiAndRevealsAtMostSevenDigits(@ForAll("mobileLikeText") String anything) {
        String masked = MobileNumbers.mask(anything);
        int codePoints = anything.codePointCount(0, anything.length());
        assertTrue(masked.length() <= 11);
        assertEquals(Math.min(codePoints, 11), masked.length());
        assertTrue(masked.chars().allMatch(c -> c == '*' || (c >= '0' && c <= '9')));
        assertTrue(masked.chars().filter(c -> c != '*').count() <= 7);
        if (codePoints < 11) {
            assertEquals("*".repeat(codePoints), masked);
        }
    }

    /**
     * The validation asks libphonenumber for the number type only; it must agree with the long form that
     * also calls isValidNumberForRegion, on real segments, on any 11 digits, and on digits that begin with
     * China's international prefix 00 (which parse as another country's number).
     */
    @Property(tries = 2000)
    void validationAgreesWithLibphonenumbersFullCheck(@ForAll("elevenDigitCandidates") String digits) {
        assertEquals(fullCheck(digits), MobileNumbers.isValidMainlandMobile(digits), digits);
    }

    private static boolean fullCheck(String digits) {
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        PhoneNumber number;
        try {
            number = util.parse(digits, "CN");
        } catch (NumberParseException e) {
            return false;
        }
        PhoneNumberUtil.PhoneNumberType type = util.getNumberType(number);
        return util.isValidNumberForRegion(number, "CN")
                && (type == PhoneNumberUtil.PhoneNumberType.MOBILE
                        || type == PhoneNumberUtil.PhoneNumberType.FIXED_LINE_OR_MOBILE);
    }

    @Provide
    Arbitrary<String> elevenDigitCandidates() {
        Arbitrary<String> real = Combinators.combine(
                        Arbitraries.of(REAL_SEGMENTS), Arbitraries.strings().numeric().ofLength(8))
                .as((segment, suffix) -> "1" + segment + suffix);
        Arbitrary<String> international = Arbitraries.strings().numeric().ofLength(9).map(rest -> "00" + rest);
        return Arbitraries.oneOf(real, elevenDigits(), international);
    }

    @Provide
    Arbitrary<String> elevenDigits() {
        return Arbitraries.strings().numeric().ofLength(11);
    }

    @Provide
    Arbitrary<WrappedMobile> wrappedRealMobiles() {
        Arbitrary<String> digits = Combinators.combine(
                        Arbitraries.of(REAL_SEGMENTS), Arbitraries.strings().numeric().ofLength(8))
                .as((segment, suffix) -> "1" + segment + suffix);
        Arbitrary<List<String>> gaps = Arbitraries.of(GROUPING).list().ofSize(13);
        return Combinators.combine(digits, Arbitraries.of(COUNTRY_PREFIXES), gaps, Arbitraries.of(true, false))
                .as((number, prefix, separators, fullWidth) -> {
                    StringBuilder raw = new StringBuilder(separators.get(0)).append(prefix);
                    for (int i = 0; i < number.length(); i++) {
                        raw.append(separators.get(i + 1));
                        char digit = number.charAt(i);
                        raw.append(fullWidth ? (char) ('０' + (digit - '0')) : digit);
                    }
                    raw.append(separators.get(12));
                    return new WrappedMobile(raw.toString(), number);
                });
    }

    /** Digits, prefixes, every kind of space and dash, full-width forms, letters and combining marks. */
    @Provide
    Arbitrary<String> mobileLikeText() {
        Arbitrary<Character> interesting = Arbitraries.of(
                '+', '8', '6', '0', '1', '3', '9', '-', ' ', '\u3000', '\u00A0', '\t', '\u2010', '\u2011',
                '\u2015', '\u2212', '\uFF0D', '＋', '８', '６', '０', '(', ')', '.', 'e', 'a', '张',
                '\u0301', '\u0308', '\u0316', '\u3099');
        Arbitrary<Character> any = Arbitraries.chars().all();
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(9, interesting), net.jqwik.api.Tuple.of(1, any))
                .list().ofMaxSize(24)
                .map(chars -> {
                    StringBuilder s = new StringBuilder(chars.size());
                    chars.forEach(s::append);
                    return s.toString();
                });
    }

    record WrappedMobile(String raw, String digits) {
    }
}
