package cloud.phonematch.verify.precheck;

import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A number libphonenumber accepted as a mainland China mobile number, kept in its parsed form.
 *
 * <p>Why: parsing is the costliest step of a warm invocation's own work (libphonenumber runs a series of
 * patterns over the text). The pre-check parses the number once to validate it; the carrier lookup after the
 * API's answer reuses that parse instead of parsing again. Obtain one from
 * {@link MobileNumbers#mainlandMobile(String)}. Equal when the digits are equal; {@link #toString()} shows only
 * the masked number.
 */
public final class MainlandMobile {
    private final String digits;
    private final PhoneNumber parsed;

    MainlandMobile(String digits, PhoneNumber parsed) {
        this.digits = Objects.requireNonNull(digits, "digits");
        this.parsed = Objects.requireNonNull(parsed, "parsed");
    }

    /**
     * The operator originally assigned the number's segment (see {@link MobileNumbers#carrier(String, Locale)}
     * for why it is only informational and for the English fallback).
     */
    public Optional<String> carrier(Locale locale) {
        Objects.requireNonNull(locale, "locale");
        return MobileNumbers.carrierName(parsed, locale);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MainlandMobile that && digits.equals(that.digits);
    }

    @Override
    public int hashCode() {
        return digits.hashCode();
    }

    @Override
    public String toString() {
        return "MainlandMobile[" + MobileNumbers.mask(digits) + "]";
    }
}
