package cloud.phonematch.verify.localgateway;

import java.util.function.LongSupplier;

/**
 * API Gateway's stage throttling as a token bucket: it holds at most {@code burst} tokens, starts full, gains
 * {@code rate} tokens a second, and every request takes one; a request that finds none is throttled (429). So a
 * burst of up to {@code burst} requests passes at once, and a steady {@code rate} a second passes indefinitely.
 */
final class TokenBucket {
    private static final double NANOS_PER_SECOND = 1_000_000_000.0;

    private final double rate;
    private final int burst;
    private final LongSupplier nanoTime;
    private double tokens;
    private long refilledAt;

    /**
     * @param rate tokens added per second
     * @param burst the bucket's size
     * @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime})
     */
    TokenBucket(double rate, int burst, LongSupplier nanoTime) {
        this.rate = rate;
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.tokens = burst;
        this.refilledAt = nanoTime.getAsLong();
    }

    /** Takes a token if there is one: whether the request may pass. */
    synchronized boolean tryTake() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(burst, tokens + (now - refilledAt) / NANOS_PER_SECOND * rate);
        refilledAt = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
