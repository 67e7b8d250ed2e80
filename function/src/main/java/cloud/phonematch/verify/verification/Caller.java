package cloud.phonematch.verify.verification;

/**
 * Who asked for a verification — not the person checked, but the client that sent the request: what spend is
 * counted against, what the summary line and the per-caller metric name, and, when the event names an authenticated
 * caller, the scope of its idempotency keys.
 *
 * @param id {@code iam:<principal ARN>}, {@code jwt:<issuer>|<subject>}, {@code principal:<id>} (a Lambda
 *     authorizer's), {@code ip:<source address>} for an unauthenticated HTTP call, or {@code direct}
 * @param kind how the caller is known
 */
public record Caller(String id, Kind kind) {
    /** The longest id kept as it is; a longer one (a JWT subject is the issuer's choice) is cut in logs. */
    static final int MAX_LABEL = 200;

    /** Every direct invocation (Step Functions tasks, {@code aws lambda invoke}): IAM-authorized on the function. */
    public static final Caller DIRECT = new Caller("direct", Kind.DIRECT);

    public enum Kind {
        /** API Gateway authorized the request and named the caller (IAM, a JWT, a Lambda authorizer). */
        AUTHENTICATED,
        /** An HTTP call without authorization, known only by the address it came from. */
        SOURCE_ADDRESS,
        /** Invoked directly, by a principal the function's resource policy or the caller's IAM policy allows. */
        DIRECT
    }

    public Caller {
        if (id == null || id.isBlank() || kind == null) {
            throw new IllegalArgumentException("a caller needs an id and a kind");
        }
    }

    public static Caller authenticated(String id) {
        return new Caller(id, Kind.AUTHENTICATED);
    }

    /** An unauthenticated HTTP caller, by the source address API Gateway saw (never a header the caller sets). */
    public static Caller fromAddress(String sourceIp) {
        return new Caller("ip:" + (sourceIp == null || sourceIp.isBlank() ? "unknown" : sourceIp),
                Kind.SOURCE_ADDRESS);
    }

    /**
     * The scope of the caller's idempotency keys: only an authenticated caller's, since a source address changes
     * between one retry and the next, and a retry must find its key.
     */
    public String scope() {
        return kind == Kind.AUTHENTICATED ? id : null;
    }

    /**
     * Whether the per-caller daily budget applies. Direct invocations are the operator's own workflows, authorized on
     * the function itself; they count against the daily budget of all, not against a caller's.
     */
    public boolean capped() {
        return kind != Kind.DIRECT;
    }

    /** The id as logs and metrics show it: at most {@value #MAX_LABEL} characters. */
    public String label() {
        return id.length() <= MAX_LABEL ? id : id.substring(0, MAX_LABEL - 1) + "…";
    }
}
