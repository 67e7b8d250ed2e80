package cloud.phonematch.verify.localgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The stage's throttle: a burst passes at once, then the rate a second, never more than the burst saved up. */
class TokenBucketTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private TokenBucket bucket(double rate, int burst) {
        return new TokenBucket(rate, burst, now::get);
    }

    private void advanceMillis(long millis) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    private static int passing(TokenBucket bucket, int requests) {
        int passed = 0;
        for (int i = 0; i < requests; i++) {
            passed += bucket.tryTake() ? 1 : 0;
        }
        return passed;
    }

    @Test
    void startsFullSoABurstPassesAtOnce() {
        TokenBucket bucket = bucket(10, 20);

        assertEquals(20, passing(bucket, 30));
        assertFalse(bucket.tryTake());
    }

    @Test
    void refillsAtTheRate() {
        TokenBucket bucket = bucket(10, 20);
        passing(bucket, 20);

        advanceMillis(50);
        assertFalse(bucket.tryTake(), "half a token after 50 ms at 10 a second");
        advanceMillis(50);
        assertTrue(bucket.tryTake(), "a whole one after 100 ms");
        assertFalse(bucket.tryTake());
        advanceMillis(1_000);
        assertEquals(10, passing(bucket, 30), "ten a second");
    }

    @Test
    void savesUpNoMoreThanTheBurst() {
        TokenBucket bucket = bucket(10, 20);
        passing(bucket, 20);

        advanceMillis(3_600_000);

        assertEquals(20, passing(bucket, 30));
    }

    @Test
    void aBurstLimitOfZeroThrottlesEverything() {
        TokenBucket bucket = bucket(10, 0);

        advanceMillis(10_000);

        assertEquals(0, passing(bucket, 5));
    }

    @Test
    void aRateOfZeroNeverRefills() {
        TokenBucket bucket = bucket(0, 2);

        assertEquals(2, passing(bucket, 3));
        advanceMillis(60_000);
        assertFalse(bucket.tryTake());
    }
}
