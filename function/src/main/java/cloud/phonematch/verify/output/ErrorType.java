package cloud.phonematch.verify.output;

/**
 * Every way a verification can fail, as one table: the stable machine-readable type, the HTTP status an
 * API Gateway caller sees, whether trying again can help, and the exception a direct caller (Step Functions)
 * receives. Adding a failure is one row here plus its exception class.
 * <p>
 * "Retryable" here is the type's nature when nothing can have been charged; a failure after which the API may
 * have charged is never retryable by default and is thrown as {@link OutcomeUnknownException} whatever its type
 * (see {@link Charge}). So every exception class of this table is thrown only for failures that cannot have been
 * charged, and a workflow may retry the retryable ones freely.
 */
public enum ErrorType {
    INVALID_REQUEST(400, false, InvalidRequestException::new),
    /**
     * The request's bytes are not UTF-8 (or arrived with U+FFFD where a decoder met bytes that were not): the caller
     * sent another encoding, such as GBK. Told apart from {@code INVALID_REQUEST} and from an {@code INVALID_NAME}
     * answer, which the garbled name would otherwise get.
     */
    INVALID_ENCODING(400, false, InvalidRequestException::new),
    NOT_FOUND(404, false, InvalidRequestException::new),
    METHOD_NOT_ALLOWED(405, false, InvalidRequestException::new),
    /** The idempotency key was first used with another name and number: a caller's mistake, never retried. */
    IDEMPOTENCY_KEY_REUSED(422, false, InvalidRequestException::new),
    /** An invocation with the same idempotency key is still running: try again once it has answered. */
    IN_PROGRESS(409, true, RequestInProgressException::new),
    ENGINE_ERROR(502, true, EngineErrorException::new),
    RATE_LIMITED(429, true, RateLimitedException::new),
    /** The daily budget of charged answers is spent: not before tomorrow (China time), so not retryable. */
    BUDGET_EXHAUSTED(429, false, BudgetExhaustedException::new),
    QUOTA_EXHAUSTED(503, false, QuotaExhaustedException::new),
    UPSTREAM_AUTH(502, false, UpstreamAuthException::new),
    UPSTREAM_UNAVAILABLE(503, true, UpstreamUnavailableException::new),
    UPSTREAM_TIMEOUT(504, true, UpstreamTimeoutException::new),
    UPSTREAM_CONTRACT(502, false, UpstreamContractException::new),
    /** Secrets Manager throttled, failed or was slow: no call was made, the token can be read again shortly. */
    SECRETS_UNAVAILABLE(503, true, SecretsUnavailableException::new),
    /** The records store (idempotency keys) could not be read or written in time: nothing was sent. */
    RECORDS_UNAVAILABLE(503, true, RecordsUnavailableException::new),
    CONFIGURATION(500, false, ConfigurationException::new);

    private final int httpStatus;
    private final boolean retryable;
    private final java.util.function.BiFunction<Failure, String, VerificationException> exceptionFactory;

    ErrorType(int httpStatus, boolean retryable,
            java.util.function.BiFunction<Failure, String, VerificationException> exceptionFactory) {
        this.httpStatus = httpStatus;
        this.retryable = retryable;
        this.exceptionFactory = exceptionFactory;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public boolean retryable() {
        return retryable;
    }

    /** The typed exception a direct caller receives; its class name is what Step Functions matches on. */
    public VerificationException toException(Failure failure, String requestId) {
        return exceptionFactory.apply(failure, requestId);
    }
}
