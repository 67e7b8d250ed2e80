package cloud.phonematch.verify.observability;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import cloud.phonematch.verify.config.VerifyConfig;
import cloud.phonematch.verify.handler.EventSource;
import cloud.phonematch.verify.verification.Invocation;
import cloud.phonematch.verify.verification.TimeSource;
import cloud.phonematch.verify.verification.VerificationResult;

/**
 * What each invocation leaves behind for the people who run it: exactly one INFO summary line (a JSON log
 * line whose fields are in its {@code mdc} object) and, unless {@code VERIFY_METRICS=false}, one EMF metrics
 * object.
 */
@ApplicationScoped
public class InvocationSummary {
    private static final Logger LOG = Logger.getLogger("cloud.phonematch.verify.summary");

    /** True until the first invocation of this container (or of this restored SnapStart snapshot) ends. */
    private final AtomicBoolean coldStart = new AtomicBoolean(true);
    private final EmbeddedMetrics metrics;
    private final TimeSource time;

    public InvocationSummary(VerifyConfig config, Clock clock, TimeSource time) {
        this.metrics = config.metrics() ? new EmbeddedMetrics(config.metricsNamespace(), clock, System.out) : null;
        this.time = time;
    }

    public void log(EventSource source, Invocation invocation, VerificationResult result) {
        long durationMs = (time.nanoTime() - invocation.startNanos()) / 1_000_000L;
        SummaryFields fields = SummaryFields.of(source, invocation, result, coldStart.getAndSet(false), durationMs);
        Map<String, String> logFields = fields.asLogFields();
        logFields.forEach(MDC::put);
        try {
            LOG.info("verification summary");
        } finally {
            logFields.keySet().forEach(MDC::remove);
        }
        if (metrics != null) {
            metrics.emit(fields);
        }
    }
}
