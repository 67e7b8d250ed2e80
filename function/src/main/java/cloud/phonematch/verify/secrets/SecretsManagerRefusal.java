package cloud.phonematch.verify.secrets;

/**
 * Secrets Manager answered GetSecretValue with an error that repeating cannot fix (a missing secret, a denied
 * read, a KMS key the role may not use). Carries the HTTP status and the service's error code, never its message.
 */
public final class SecretsManagerRefusal extends RuntimeException {
    private final int status;
    private final String code;

    public SecretsManagerRefusal(int status, String code) {
        super(status + " " + code, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    /** The service's error code, e.g. {@code ResourceNotFoundException}; {@code unknown} when it gave none. */
    public String code() {
        return code;
    }
}
