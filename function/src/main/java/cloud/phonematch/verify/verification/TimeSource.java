package cloud.phonematch.verify.verification;

import java.time.Duration;

/**
 * Monotonic time and waiting, as a parameter of the flow so that deadline and backoff logic can be tested
 * with a fake clock instead of sleeping.
 */
public interface TimeSource {
    long nanoTime();

    void sleep(Duration duration) throws InterruptedException;

    TimeSource SYSTEM = new TimeSource() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            if (!duration.isZero() && !duration.isNegative()) {
                Thread.sleep(duration);
            }
        }
    };
}
