package cloud.phonematch.verify.verification;

import java.util.Optional;

/**
 * Charged answers kept per person for a while, so that checking the same person again within that window costs
 * nothing. The adapter keys them by an HMAC of the normalized name and number and keeps the verdict (number
 * masked, no text in any language).
 */
public interface ResultReuse {

    /** Whether answers are kept at all ({@code VERIFY_REUSE_WINDOW} above zero). */
    boolean enabled();

    /**
     * A charged answer for this person from within the window, if there is one.
     *
     * @throws FailureException {@code RECORDS_UNAVAILABLE} when the store cannot answer in time (no paid call is
     *     made on a guess), or the hash key's own failure
     */
    Optional<Verdict> recent(String name, String mobile, Deadline deadline);

    /** Keeps a charged answer for the window. Never throws: an answer not kept is only a missed saving. */
    void remember(String name, String mobile, Verdict verdict, Deadline deadline);
}
