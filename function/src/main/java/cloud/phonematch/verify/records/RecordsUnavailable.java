package cloud.phonematch.verify.records;

/**
 * The records store did not do what was asked in the time there was: throttled, failing, unreachable or too slow.
 * Carries why in our words only (never a store's message, which could quote an item).
 */
public final class RecordsUnavailable extends RuntimeException {
    private final boolean maybeApplied;

    /** A failure after which the write asked for was certainly not made. */
    public RecordsUnavailable(String reason) {
        this(reason, false);
    }

    /**
     * @param maybeApplied whether the write may have been made all the same (a try got a 5xx, or no reply after it was sent): what
     *     it wrote may be in the store, and only its writer can take it back
     */
    public RecordsUnavailable(String reason, boolean maybeApplied) {
        super(reason, null, false, false);
        this.maybeApplied = maybeApplied;
    }

    /** Whether the write may have been made although this says it failed. */
    public boolean maybeApplied() {
        return maybeApplied;
    }
}
