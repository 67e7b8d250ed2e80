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
 */
public final class PreCheck {

    private final boolean enforce;

    /**
     * @param enforce {@code true} to reject invalid input locally, {@code false} to only
     *     normalize and always pass
     */
    public PreCheck(boolean enforce) {
        this.enforce = enforce;
    }

    /**
     * Normalizes both values and decides whether they may be sent upstream.
     *
     * <p>When enforcing, the name is checked first, so a request with both fields invalid is
     * reported as {@link PreCheckResult.Reason#INVALID_NAME}.
     *
     * @param rawName the name as typed, may be {@code null}
     * @param rawMobile the mobile number as typed, may be {@code null}
     * @return {@link PreCheckResult.Passed} with the normalized values (and, when enforcing, the validated
     *     number), or
     *     {@link PreCheckResult.Rejected} with the reason and the masked normalized number
     */
    public PreCheckResult check(String rawName, String rawMobile) {
        String name = PersonNames.normalize(rawName);
        String mobile = MobileNumbers.normalize(rawMobile);
        if (!enforce) {
            return new PreCheckResult.Passed(name, mobile);
        }
        if (!PersonNames.isValid(name)) {
            return new PreCheckResult.Rejected(PreCheckResult.Reason.INVALID_NAME, MobileNumbers.mask(mobile));
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
