package cloud.phonematch.verify.verification;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * The attempts of one invocation: the pre-check, how long each attempt and the whole may take, how often and when to
 * try again.
 * <p>
 * Under the prefix {@code verify}, as every setting of the function: SmallRye maps each to an environment variable
 * by upper-casing and replacing dots and dashes with underscores ({@code verify.api-base-url} is
 * {@code VERIFY_API_BASE_URL}).
 */
@ConfigMapping(prefix = "verify")
public interface AttemptSettings {

    /** The shortest attempt worth starting: an attempt is never longer than {@link #attemptTimeout()}. */
    default Duration shortestAttempt() {
        return minAttemptTime().compareTo(attemptTimeout()) <= 0 ? minAttemptTime() : attemptTimeout();
    }
    /** Local validation of name and number before any paid call. */
    @WithDefault("true")
    boolean precheck();

    /**
     * Upper bound of one call to the API. Each attempt gets the smaller of this and the invocation's
     * remaining time minus {@link #deadlineMargin()}.
     */
    @WithDefault("3s")
    Duration attemptTimeout();

    /**
     * Time kept in reserve before Lambda's own timeout: no attempt starts with less than this left, so the
     * function always answers (with {@code UPSTREAM_TIMEOUT}) before Lambda kills it.
     */
    @WithDefault("500ms")
    Duration deadlineMargin();

    /**
     * The shortest call to the API worth starting: no attempt (and no wait before one) is begun unless at least this
     * much time is left before the deadline margin. A request the API may charge for must have time to hear its
     * answer; an attempt cut shorter than the API's usual answer time pays and then reports {@code outcome_unknown}.
     * Capped at {@link #attemptTimeout()}.
     */
    @WithDefault("1s")
    Duration minAttemptTime();

    /** Calls to the API per invocation, the first included (the one token-rotation retry is extra). */
    @WithDefault("3")
    int maxAttempts();

    /** Base of the exponential backoff between retries (full jitter: a random wait up to the bound). */
    @WithDefault("200ms")
    Duration retryBaseDelay();

    /** Cap of the backoff bound. */
    @WithDefault("2s")
    Duration retryMaxDelay();

    /**
     * {@code VERIFY_REPEAT_POSSIBLY_CHARGED}: whether a call to the API that may have been charged (a timeout, a
     * connection broken after the request was sent, a 502 or 504) may be sent again. Off by default: a repeat may pay
     * twice ({@link ChargeRule}). Read through {@link #repeatPossiblyCharged()}.
     */
    @WithName("repeat-possibly-charged")
    Optional<Boolean> repeatPossiblyChargedSetting();

    /**
     * {@code VERIFY_RETRY_ON_TIMEOUT}: the same setting under a name that says less than it does (it is not only about
     * timeouts, and what it allows is paying twice). Still read, with a warning at start
     * ({@code config.SettingsCheck}); {@code VERIFY_REPEAT_POSSIBLY_CHARGED} wins when both are set alike, and a start
     * with the two set differently is refused.
     *
     * @deprecated set {@code VERIFY_REPEAT_POSSIBLY_CHARGED} instead
     */
    @Deprecated
    Optional<Boolean> retryOnTimeout();

    /** Whether possibly charged calls may be repeated: the setting under either name; false when neither is set. */
    default boolean repeatPossiblyCharged() {
        return repeatPossiblyChargedSetting().or(this::retryOnTimeout).orElse(false);
    }

    /** A start problem of the two names, or empty: both set, to different values. */
    default Optional<String> repeatPossiblyChargedConflict() {
        return repeatPossiblyChargedSetting().isPresent() && retryOnTimeout().isPresent()
                && !repeatPossiblyChargedSetting().equals(retryOnTimeout())
                        ? Optional.of("VERIFY_REPEAT_POSSIBLY_CHARGED and VERIFY_RETRY_ON_TIMEOUT (its old name) are "
                                + "set differently; set only VERIFY_REPEAT_POSSIBLY_CHARGED")
                        : Optional.empty();
    }
}
