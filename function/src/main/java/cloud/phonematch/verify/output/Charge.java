package cloud.phonematch.verify.output;

/**
 * Whether the API may have charged for the request a failure ends, as the charge rule
 * ({@code verification.ChargeRule}) decided it — the one property every money rule is derived from. It decides the
 * {@code retryable} flag a caller reads, the {@code outcome_unknown} flag, and the exception class a workflow matches:
 * a possibly charged failure is always an {@link OutcomeUnknownException}, which no shipped {@code Retry} block lists.
 * <p>
 * The third kind, charged, is not a failure: it is an answer with {@code billable: true}.
 */
public enum Charge {
    /**
     * Cannot have been charged: the request never reached the engine (no connection, 429, 500/503 from the API
     * itself, a rejected token, an open circuit, no time left to start) or the engine answered with an uncharged
     * code (-2, -3). Repeating it is safe.
     */
    NOT_CHARGED,
    /**
     * May have been charged: the request was sent and no answer we can read came back (a read timeout, a
     * connection that broke after sending, a 502/504 from a gateway in front of the engine, a 200 we cannot
     * read). Repeating it may pay twice, so it is repeated only when the operator accepted that risk.
     */
    MAYBE_CHARGED
}
