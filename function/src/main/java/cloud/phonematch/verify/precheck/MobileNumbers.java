package cloud.phonematch.verify.precheck;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Normalizing, validating, masking and describing mainland China mobile numbers.
 *
 * <p>Why: the upstream verification API only accepts bare 11-digit mainland mobile numbers and
 * charges for every call, including calls with malformed numbers. Users type numbers with
 * full-width digits, spaces, hyphens and a {@code +86}/{@code 0086}/{@code 86} country prefix,
 * so we first reduce the input to its canonical 11 digits, then ask libphonenumber whether the
 * number is a real mobile number in a real mainland segment before spending money on it.
 */
public final class MobileNumbers {

    /** Region code libphonenumber uses for mainland China. */
    private static final String MAINLAND_REGION = "CN";
    private static final int MAINLAND_COUNTRY_CODE = 86;

    /** Length of a mainland mobile number without country prefix. */
    private static final int MOBILE_DIGITS = 11;

    /**
     * Accepted spellings of the +86 country prefix. They have different lengths, so a string of
     * a given length can match at most one of them.
     */
    private static final List<String> COUNTRY_PREFIXES = List.of("+86", "0086", "86");

    /** How many leading and trailing characters of a long number stay readable in a mask. */
    private static final int MASK_KEEP_HEAD = 3;
    private static final int MASK_KEEP_TAIL = 4;
    private static final String MASK_MIDDLE = "****";

    private MobileNumbers() {
    }

    /**
     * Reduces user input to the canonical form the validator and the upstream API expect.
     *
     * <p>Steps: NFKC (full-width digits and {@code ＋} become ASCII, U+3000 becomes a space); drop
     * every whitespace and hyphen/dash character, because people group digits with them
     * ("139-1234-5678", "139 1234 5678"); then strip a {@code +86}, {@code 0086} or {@code 86}
     * prefix, but only when exactly 11 ASCII digits follow, so a number that merely starts with
     * 86 is never shortened. Every other character (parentheses, letters, dots) is kept on
     * purpose so that the input then fails validation instead of being silently "repaired".
     *
     * <p>The function is idempotent: {@code normalize(normalize(x)).equals(normalize(x))}.
     *
     * @param raw user input, may be {@code null}
     * @return the normalized text, normally 11 digits; {@code ""} for {@code null}
     */
    public static String normalize(String raw) {
        if (raw == null) {
            return "";
        }
        String compatible = Normalizer.normalize(raw, Normalizer.Form.NFKC);
        StringBuilder kept = new StringBuilder(compatible.length());
        compatible.codePoints()
                .filter(cp -> !UnicodeSpaces.isSpace(cp) && !isHyphen(cp))
                .forEach(kept::appendCodePoint);
        // Removing a space or hyphen can put a combining mark next to a new base character;
        // normalizing again keeps the whole function idempotent.
        String compact = Normalizer.normalize(kept, Normalizer.Form.NFKC);
        return stripCountryPrefix(compact);
    }

    /**
     * Tells whether a normalized number is a mobile number of mainland China.
     *
     * <p>Why libphonenumber and not a regular expression: operators open and retire number
     * segments (199, 166 and 192 are recent ones, 140 is not a subscriber segment), and
     * libphonenumber's metadata tracks that; a hand-written pattern would rot.
     *
     * @param normalized output of {@link #normalize(String)}, may be {@code null}
     * @return {@code true} only for exactly 11 ASCII digits that libphonenumber considers a
     *     valid CN number of type MOBILE (or FIXED_LINE_OR_MOBILE)
     */
    public static boolean isValidMainlandMobile(String normalized) {
        return parseMainlandMobile(normalized).isPresent();
    }

    /**
     * The same check as {@link #isValidMainlandMobile(String)}, keeping the parsed number for a later
     * carrier lookup.
     *
     * @param normalized output of {@link #normalize(String)}, may be {@code null}
     * @return the validated number, or empty when it is not a mainland mobile number
     */
    public static Optional<MainlandMobile> mainlandMobile(String normalized) {
        return parseMainlandMobile(normalized).map(number -> new MainlandMobile(normalized, number));
    }

    /**
     * Masks a number for logs, metrics and error responses.
     *
     * <p>Why this shape: {@code 139****5678} is the form Chinese users and support staff
     * recognise, and the first 3 + last 4 digits are enough to correlate a support ticket without
     * identifying the subscriber. For inputs of 11 or more code points the result is exactly 11
     * characters (3 kept, 4 stars, 4 kept); anything shorter becomes all stars of the same length,
     * so a truncated number leaks nothing. Only ASCII digits are ever revealed: any other
     * character in a kept position is also replaced by {@code *}, because a rejected "mobile"
     * may well be a name typed into the wrong field. The result is therefore always ASCII and
     * never longer than 11 characters.
     *
     * @param normalized output of {@link #normalize(String)}, may be {@code null}
     * @return the masked form; {@code ""} for {@code null} or empty input
     */
    public static String mask(String normalized) {
        if (normalized == null || normalized.isEmpty()) {
            return "";
        }
        int[] codePoints = normalized.codePoints().toArray();
        if (codePoints.length < MOBILE_DIGITS) {
            return "*".repeat(codePoints.length);
        }
        StringBuilder masked = new StringBuilder(MOBILE_DIGITS);
        for (int i = 0; i < MASK_KEEP_HEAD; i++) {
            masked.append(revealIfDigit(codePoints[i]));
        }
        masked.append(MASK_MIDDLE);
        for (int i = codePoints.length - MASK_KEEP_TAIL; i < codePoints.length; i++) {
            masked.append(revealIfDigit(codePoints[i]));
        }
        return masked.toString();
    }

    /**
     * Looks up the operator that was originally assigned the number's segment.
     *
     * <p>Why it is only informational: with number portability the subscriber may have moved to
     * another operator, so this must never be used to route or reject a request.
     *
     * <p>If libphonenumber has no name in the requested language for this segment (carrier
     * metadata 2.6 has Chinese names for the big three operators but, for example, none for the
     * 192 segment of China Broadnet, which only has the English "CBN"), the English name is
     * returned instead, so that a Chinese UI still shows something rather than nothing.
     *
     * @param validMobile a normalized number; anything that is not a valid mainland mobile
     *     yields {@link Optional#empty()}
     * @param locale language of the carrier name, e.g. {@link Locale#ENGLISH} ("China Mobile")
     *     or {@link Locale#SIMPLIFIED_CHINESE} ("中国移动")
     * @return the carrier name, or empty when unknown
     * @throws NullPointerException if {@code locale} is {@code null}
     */
    public static Optional<String> carrier(String validMobile, Locale locale) {
        Objects.requireNonNull(locale, "locale");
        return mainlandMobile(validMobile).flatMap(mobile -> mobile.carrier(locale));
    }

    static Optional<String> carrierName(PhoneNumber number, Locale locale) {
        String name = PhoneNumberLibrary.carrierMapper().getNameForValidNumber(number, locale);
        if ((name == null || name.isBlank()) && !Locale.ENGLISH.getLanguage().equals(locale.getLanguage())) {
            name = PhoneNumberLibrary.carrierMapper().getNameForValidNumber(number, Locale.ENGLISH);
        }
        return name == null || name.isBlank() ? Optional.empty() : Optional.of(name.strip());
    }

    /** Parses and validates in one go so that callers needing the parsed number parse once. */
    private static Optional<PhoneNumber> parseMainlandMobile(String normalized) {
        if (normalized == null
                || normalized.length() != MOBILE_DIGITS
                || !isAsciiDigits(normalized, 0)) {
            return Optional.empty();
        }
        PhoneNumberUtil util = PhoneNumberLibrary.phoneNumberUtil();
        PhoneNumber number;
        try {
            number = toPhoneNumber(normalized);
        } catch (NumberParseException e) {
            return Optional.empty();
        }
        // getNumberType answers UNKNOWN for a number that is not valid in its region, so with the country
        // code checked here it says all that isValidNumberForRegion(number, "CN") would: calling both ran
        // the same dozen metadata patterns twice, the largest allocation of a warm invocation (BENCHMARKS.md).
        // The check matters: "00" is China's international prefix, so 11 digits starting with it parse as
        // another country's number.
        if (number.getCountryCode() != MAINLAND_COUNTRY_CODE) {
            return Optional.empty();
        }
        PhoneNumberType type = util.getNumberType(number);
        boolean mobile = type == PhoneNumberType.MOBILE || type == PhoneNumberType.FIXED_LINE_OR_MOBILE;
        return mobile ? Optional.of(number) : Optional.empty();
    }

    /**
     * The number libphonenumber would parse from 11 ASCII digits with region CN.
     *
     * <p>Why not always {@code parse}: digits that begin with 1, as every mainland mobile segment does, carry
     * no trunk prefix (0) and no international prefix (00), so they already are the national significant
     * number, and building the number from them gives what {@code parse} gives without its half-dozen
     * pattern scans, which are most of a warm invocation's pre-check. Other digits go through {@code parse}.
     * {@code MobileNumbersTest} checks that both ways give equal numbers for every four-digit start from 1000
     * to 1999.
     */
    static PhoneNumber toPhoneNumber(String elevenDigits) throws NumberParseException {
        if (elevenDigits.charAt(0) == '1') {
            return new PhoneNumber().setCountryCode(MAINLAND_COUNTRY_CODE)
                    .setNationalNumber(Long.parseLong(elevenDigits));
        }
        return PhoneNumberLibrary.phoneNumberUtil().parse(elevenDigits, MAINLAND_REGION);
    }

    private static String stripCountryPrefix(String compact) {
        for (String prefix : COUNTRY_PREFIXES) {
            if (compact.length() == prefix.length() + MOBILE_DIGITS
                    && compact.startsWith(prefix)
                    && isAsciiDigits(compact, prefix.length())) {
                return compact.substring(prefix.length());
            }
        }
        return compact;
    }

    /**
     * Hyphen-like characters people use to group digits. Only those that survive NFKC matter
     * (U+FF0D becomes '-', U+2011 becomes U+2010), but listing U+FF0D keeps the intent explicit.
     */
    private static boolean isHyphen(int cp) {
        return cp == '-' || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFF0D;
    }

    private static boolean isAsciiDigits(String s, int from) {
        if (from >= s.length()) {
            return false;
        }
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static char revealIfDigit(int cp) {
        return cp >= '0' && cp <= '9' ? (char) cp : '*';
    }
}
