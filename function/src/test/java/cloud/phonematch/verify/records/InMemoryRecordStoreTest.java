package cloud.phonematch.verify.records;

/** The embedded default store, held to the same contract as the shared one. */
class InMemoryRecordStoreTest extends RecordStoreContract {
    private final InMemoryRecordStore store = new InMemoryRecordStore();

    @Override
    protected RecordStore store() {
        return store;
    }
}
