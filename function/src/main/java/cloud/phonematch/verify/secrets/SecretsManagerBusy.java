package cloud.phonematch.verify.secrets;

/** Secrets Manager throttled, failed with a 5xx, or could not be reached: worth another try. */
public final class SecretsManagerBusy extends RuntimeException {
    public SecretsManagerBusy(String reason) {
        super(reason, null, false, false);
    }
}
