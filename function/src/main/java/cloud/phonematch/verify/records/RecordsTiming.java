package cloud.phonematch.verify.records;

import java.time.Duration;
import java.util.Optional;

/**
 * How long an idempotency key's record lasts ({@code VERIFY_IDEMPOTENCY_TTL}) and how far beyond the invocation's own
 * end its lock is held ({@code VERIFY_CLOCK_SKEW_MARGIN}), with the invariants that keep a key from being paid twice:
 * <ul>
 * <li>a lock lasts until Lambda's timeout of the invocation that holds it plus the margin, so a container whose clock
 * runs up to the margin ahead of the holder's still sees it held;</li>
 * <li>a record outlives every lock ({@link #LONGEST_INVOCATION} plus the margin) by the longest window in which the
 * shipped workflows send a key again ({@link #REDRIVE_WINDOW}: Step Functions redrives a failed execution, with its
 * derived key, for 14 days): a record that expired first would let the repeat pay again.</li>
 * </ul>
 * Settings that break them are refused with one line naming the setting; the function refuses to start with them.
 */
public record RecordsTiming(Duration ttl, Duration clockSkewMargin) {
    /** Lambda's longest function timeout: no invocation holds a lock for longer, before the margin. */
    public static final Duration LONGEST_INVOCATION = Duration.ofMinutes(15);
    /** How long Step Functions can redrive a failed execution, which sends the execution's derived key again. */
    public static final Duration REDRIVE_WINDOW = Duration.ofDays(14);
    /** The margin's bounds: clocks of Lambda hosts agree to milliseconds; a longer hold only refuses for longer. */
    public static final Duration SHORTEST_MARGIN = Duration.ofSeconds(1);
    public static final Duration LONGEST_MARGIN = Duration.ofMinutes(5);

    public RecordsTiming {
        problem(ttl, clockSkewMargin).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
    }

    /** The shortest record life these settings allow. */
    public static Duration shortestTtl(Duration clockSkewMargin) {
        return LONGEST_INVOCATION.plus(clockSkewMargin).plus(REDRIVE_WINDOW);
    }

    /** What is wrong with these settings, in one line naming the setting; empty when nothing is. */
    public static Optional<String> problem(Duration ttl, Duration clockSkewMargin) {
        if (clockSkewMargin.compareTo(SHORTEST_MARGIN) < 0 || clockSkewMargin.compareTo(LONGEST_MARGIN) > 0) {
            return Optional.of("VERIFY_CLOCK_SKEW_MARGIN is " + words(clockSkewMargin) + "; it must be from "
                    + words(SHORTEST_MARGIN) + " to " + words(LONGEST_MARGIN));
        }
        Duration shortest = shortestTtl(clockSkewMargin);
        if (ttl.compareTo(shortest) < 0) {
            return Optional.of("VERIFY_IDEMPOTENCY_TTL is " + words(ttl) + "; it must be at least " + words(shortest)
                    + " (Lambda's longest timeout, 15 min, plus VERIFY_CLOCK_SKEW_MARGIN, plus Step Functions' redrive"
                    + " window, 14 days), or a late repeat of a key could pay again");
        }
        return Optional.empty();
    }

    /** A duration as a person writes it: {@code 14d 15m 10s}, {@code 24h}, {@code 500ms}. */
    static String words(Duration d) {
        StringBuilder s = new StringBuilder();
        append(s, d.toDaysPart(), "d");
        append(s, d.toHoursPart(), "h");
        append(s, d.toMinutesPart(), "m");
        append(s, d.toSecondsPart(), "s");
        append(s, d.toMillisPart(), "ms");
        return s.isEmpty() ? "0s" : s.toString();
    }

    private static void append(StringBuilder s, long amount, String unit) {
        if (amount != 0) {
            s.append(s.isEmpty() ? "" : " ").append(amount).append(unit);
        }
    }
}
