package cloud.phonematch.verify.precheck;

import java.util.Optional;

/**
 * Normalizes a (name, mobile) pair and, when enforcing, rejects it before any paid upstream call.
 *
 * <p>Why the {@code enforce} switch: the local rules are stricter guesses about what the
 * upstream API would refuse. Running with {@code enforce=false} still normalizes (which is always
 * safe and improves match rates) but lets the upstream API judge every request, so the rules can
 * be introduced or suspended by configuration without a deployment if they turn out to reject
 * genuine customers.
 *
 * <p>One rule holds either way: a name with a space next to a Han character
 * ({@link PersonNames#hasSpaceNextToHan(String)}) is refused. It is no guess: the registry holds no
 * such name, so the call could only be a paid mismatch.
 */
public final class PreCheck {

    private final boolean enforce;

    /**
     * @param enforce {@code true} to reject invalid input locally, {@code false} to only
     *     normalize and pass everything but a space next to a Han character
     */
    public PreCheck(boolean enforce) {
        this.enforce = enforce;
    }

    /**
     * Normalizes both values and decides whether they may be sent upstream.
     *
     * <p>The name is checked first, so a request with both fields invalid is reported with a name
     * reason: {@link PreCheckResult.Reason#INVALID_NAME} when enforcing and the name breaks the
     * name rule, else {@link PreCheckResult.Reason#SPACE_NEXT_TO_HAN} when it has a space next to a
     * Han character (enforcing or not).
     *
     * @param rawName the name as typed, may be {@code null}
     * @param rawMobile the mobile number as typed, may be {@code null}
     * @return {@link PreCheckResult.Passed} with the normalized values (and, when enforcing, the validated
     *     number), or
     *     {@link PreCheckResult.Rejected} with the reason and the masked normalized number
     */
    public PreCheckResult check(String rawName, String rawMobile) {
        return checkNormalized(PersonNames.normalize(rawName), MobileNumbers.normalize(rawMobile));
    }

    /**
     * {@link #check(String, String)} for values already normalized ({@link PersonNames#normalize(String)},
     * {@link MobileNumbers#normalize(String)}), for a caller that needed them before the check.
     */
    public PreCheckResult checkNormalized(String name, String mobile) {
        if (enforce && !PersonNames.isValid(name)) {
            return new PreCheckResult.Rejected(PreCheckResult.Reason.INVALID_NAME, MobileNumbers.mask(mobile));
        }
        if (PersonNames.hasSpaceNextToHan(name)) {
            return new PreCheckResult.Rejected(PreCheckResult.Reason.SPACE_NEXT_TO_HAN, MobileNumbers.mask(mobile));
        }
        if (!enforce) {
            return new PreCheckResult.Passed(name, mobile);
        }
        Optional<MainlandMobile> validated = MobileNumbers.mainlandMobile(mobile);
        if (validated.isEmpty()) {
            return new PreCheckResult.Rejected(PreCheckResult.Reason.INVALID_MOBILE, MobileNumbers.mask(mobile));
        }
        return new PreCheckResult.Passed(name, mobile, validated);
    }

    @Override
    public String toString() {
        return "PreCheck[enforce=" + enforce + "]";
    }
}
