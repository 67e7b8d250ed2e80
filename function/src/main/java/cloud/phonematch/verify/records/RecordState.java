package cloud.phonematch.verify.records;

/** Where a claimed request stands, as far as money is concerned. */
public enum RecordState {
    /** A call may be under way: the holder has the lock until {@link StoredRecord#lockedUntil()}. */
    IN_PROGRESS,
    /** It ended with an answer (the API's or the local pre-check's): a repeat replays it. */
    COMPLETED,
    /** It ended after a call that may have been charged: a repeat must not pay again. */
    OUTCOME_UNKNOWN
}
