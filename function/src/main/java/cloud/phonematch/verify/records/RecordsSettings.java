package cloud.phonematch.verify.records;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Memory across invocations: the records table, how long records live, the daily budgets and the reuse of charged
 * answers.
 * <p>
 * Under the prefix {@code verify}, as every setting of the function: SmallRye maps each to an environment variable
 * by upper-casing and replacing dots and dashes with underscores ({@code verify.api-base-url} is
 * {@code VERIFY_API_BASE_URL}).
 */
@ConfigMapping(prefix = "verify")
public interface RecordsSettings {
    /**
     * The DynamoDB table that holds the records across invocations (template.yaml creates it and sets this unless
     * its {@code Records} parameter is {@code off}).
     */
    Optional<String> recordsTable();

    /**
     * Upper bound of one call to the records table; each call also ends before the invocation's deadline, and one
     * that cannot have 100 ms is not started.
     */
    @WithDefault("500ms")
    Duration recordsTimeout();

    /**
     * How long the answer to a request with an idempotency key is kept for replay, and how long a key whose
     * call may have been charged stays refused. At least Lambda's longest timeout (15 min) plus
     * {@link #clockSkewMargin()} plus Step Functions' redrive window (14 days): a record must outlive every lock and
     * every redrive that sends its key again (records.RecordsTiming; the function refuses to start otherwise).
     */
    @WithDefault("15d")
    Duration idempotencyTtl();

    /**
     * How much longer than the invocation that holds it an idempotency key's lock lasts, so that a container whose
     * clock runs up to this much ahead of the holder's still sees the lock held: 1 s to 5 min.
     */
    @WithDefault("10s")
    Duration clockSkewMargin();

    /**
     * At most this many charged answers per calendar day in China time, across every container sharing the records
     * table and every caller; 0 for no cap. Finite by default, so that a leaked endpoint or a runaway client costs at
     * most a day's budget.
     */
    @WithDefault("1000")
    long dailyBudget();

    /**
     * At most this many charged answers per calendar day in China time for any one caller (an IAM principal, a JWT
     * issuer and subject, or a source IP when the call is not authenticated), so that no one caller can spend the
     * {@link #dailyBudget()} of all; 0 for no per-caller cap.
     */
    @WithDefault("100")
    long callerDailyBudget();

    /**
     * How long a charged answer (0 or 1) is kept per person and given again, without a call, to another request for
     * the same name and number; 0 (the default) keeps none. A request with {@code "fresh": true} always makes a new
     * paid check.
     */
    @WithDefault("0s")
    Duration reuseWindow();
}
