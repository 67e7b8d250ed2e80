package cloud.phonematch.verify.config;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import cloud.phonematch.verify.records.RecordsTiming;
import io.quarkus.runtime.StartupEvent;

/**
 * Refuses to start with settings that break an invariant the money depends on (the records' timing, see
 * {@link RecordsTiming}): one error line naming the setting, then an init that fails, so that a deployment with them
 * never serves a request. Runs at every start, before any invocation.
 */
@Singleton
public class SettingsCheck {
    private static final Logger LOG = Logger.getLogger(SettingsCheck.class);

    void onStart(@Observes StartupEvent event, VerifyConfig config) {
        RecordsTiming.problem(config.idempotencyTtl(), config.clockSkewMargin()).ifPresent(problem -> {
            LOG.error(problem);
            throw new InvalidSettings(problem);
        });
    }

    /** A setting the function refuses to start with; its message is the one line that names it. */
    public static final class InvalidSettings extends RuntimeException {
        InvalidSettings(String message) {
            super(message, null, false, false);
        }
    }
}
