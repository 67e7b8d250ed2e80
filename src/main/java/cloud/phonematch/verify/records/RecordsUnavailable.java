package cloud.phonematch.verify.records;

/**
 * The records store did not do what was asked in the time there was: throttled, failing, unreachable or too slow.
 * Carries why in our words only (never a store's message, which could quote an item).
 */
public final class RecordsUnavailable extends RuntimeException {
    public RecordsUnavailable(String reason) {
        super(reason, null, false, false);
    }
}
