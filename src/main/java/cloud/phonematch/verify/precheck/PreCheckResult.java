package cloud.phonematch.verify.precheck;

import java.util.Objects;
import java.util.Optional;

/**
 * Outcome of {@link PreCheck#check(String, String)}.
 *
 * <p>Why a sealed interface: the caller must handle exactly two cases (call the upstream API
 * with the normalized values, or answer immediately with a reason), and a {@code switch} over a
 * sealed type makes the compiler enforce that. Neither variant ever prints a name or a full
 * number, so results can be logged safely.
 */
public sealed interface PreCheckResult permits PreCheckResult.Passed, PreCheckResult.Rejected {

    /**
     * The input may be sent upstream.
     *
     * @param name the normalized name ({@link PersonNames#normalize(String)})
     * @param mobile the normalized mobile number ({@link MobileNumbers#normalize(String)})
     * @param validated the number as the enforcing pre-check validated it (reused for the carrier lookup);
     *     empty when the pre-check does not enforce, and so did not validate
     */
    record Passed(String name, String mobile, Optional<MainlandMobile> validated) implements PreCheckResult {

        public Passed {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(mobile, "mobile");
            Objects.requireNonNull(validated, "validated");
        }

        /** Normalized values the pre-check did not validate. */
        public Passed(String name, String mobile) {
            this(name, mobile, Optional.empty());
        }

        /** Shows only the name's length and the masked number, never the personal data. */
        @Override
        public String toString() {
            return "Passed[name=" + name.codePointCount(0, name.length()) + " code points, mobile="
                    + MobileNumbers.mask(mobile) + "]";
        }
    }

    /**
     * The input was refused locally; no upstream call should be made.
     *
     * @param reason which field failed (the name is reported when both fail)
     * @param maskedMobile the normalized mobile number masked by {@link MobileNumbers#mask(String)}
     */
    record Rejected(Reason reason, String maskedMobile) implements PreCheckResult {

        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(maskedMobile, "maskedMobile");
        }
    }

    /** Why an input was rejected; one value per field so the client can highlight it. */
    enum Reason {
        /** The name is not 2 to 64 Han/Latin letters with single separators between them. */
        INVALID_NAME,
        /** The number is not a valid mainland China mobile number. */
        INVALID_MOBILE
    }
}
