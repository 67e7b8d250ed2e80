package cloud.phonematch.verify.secrets;

/**
 * The invocation's deadline left no time for a call to Secrets Manager. Not repeated (no time is left for that
 * either); reported like an unavailable Secrets Manager, a failure the caller may retry.
 */
public final class SecretsManagerOutOfTime extends RuntimeException {
    public SecretsManagerOutOfTime() {
        super("no time left for a call to Secrets Manager", null, false, false);
    }
}
