package cloud.phonematch.verify.config;

import java.time.Clock;

import cloud.phonematch.verify.verification.TimeSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The wall clock and the monotonic time source as beans, so code that measures time can be given others in tests. */
@ApplicationScoped
public class ClockProducer {
    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    TimeSource timeSource() {
        return TimeSource.SYSTEM;
    }
}
