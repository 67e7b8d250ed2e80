package cloud.phonematch.verify.observability;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;

import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.priming.LocalRehearsal;
import cloud.phonematch.verify.verification.Caller;
import cloud.phonematch.verify.verification.Invocation;
import cloud.phonematch.verify.verification.TimeSource;
import cloud.phonematch.verify.verification.VerificationResult;

/**
 * What each invocation leaves behind for the people who run it: exactly one INFO summary line (a JSON log
 * line whose fields are in its {@code mdc} object) and, unless {@code VERIFY_METRICS=false}, one EMF metrics
 * object.
 */
@ApplicationScoped
public class InvocationSummary implements LocalRehearsal {
    private static final String SUMMARY_LOGGER = "cloud.phonematch.verify.summary";
    private static final Logger LOG = Logger.getLogger(SUMMARY_LOGGER);
    private static final String MESSAGE = "verification summary";

    /** True until the first invocation of this container (or of this restored SnapStart snapshot) ends. */
    private final AtomicBoolean coldStart = new AtomicBoolean(true);
    private final EmbeddedMetrics metrics;
    private final TimeSource time;
    /** A rehearsal's: each invocation's line and EMF object are built and formatted, and neither is written. */
    private final boolean silent;

    @Inject
    public InvocationSummary(MetricsSettings config, Clock clock, TimeSource time) {
        this(config, clock, time, false);
    }

    private InvocationSummary(MetricsSettings config, Clock clock, TimeSource time, boolean silent) {
        this.metrics = config.metrics() ? new EmbeddedMetrics(config.metricsNamespace(), clock, System.out) : null;
        this.time = time;
        this.silent = silent;
    }

    /**
     * A summary for a rehearsal of whole invocations: it does all that {@link #log} does up to the writing (the
     * fields from the result, the line formatted, the EMF object built) and writes nothing, so that a rehearsal leaves
     * no line and no metric.
     */
    public static InvocationSummary silent(MetricsSettings config, Clock clock, TimeSource time) {
        return new InvocationSummary(config, clock, time, true);
    }

    /**
     * @param source the event's kind, as logs and metrics label it
     * @param caller who sent it (not the person checked): the line names it, so spend can be traced to its caller
     */
    public void log(String source, Caller caller, Invocation invocation, VerificationResult result) {
        long durationMs = (time.nanoTime() - invocation.startNanos()) / 1_000_000L;
        SummaryFields fields = SummaryFields.of(source, caller, invocation, result, coldStart.getAndSet(false),
                durationMs);
        if (silent) {
            format(fields);
            return;
        }
        withMdc(fields.asLogFields(), () -> {
            LOG.info(MESSAGE);
            return null;
        });
        if (metrics != null) {
            metrics.emit(fields);
        }
    }

    /**
     * Formats a summary line with the console's formatters and builds an EMF object, on placeholder fields (no
     * personal data), writing neither: rehearsed during init so that the JIT has compiled the log formatting and the
     * EMF path, a quarter of an invocation's own work, before callers arrive.
     */
    @Override
    public void rehearse() {
        format(new SummaryFields("direct", "direct", "CONSISTENT", false, false, false, false, 0, true, 1, 200, "prime",
                1L, 1L, false, "138****0000", "prime", "prime"));
    }

    /** The line formatted by the console's formatters and the EMF object built, neither written. */
    private void format(SummaryFields fields) {
        ExtLogRecord record = withMdc(fields.asLogFields(), () -> {
            ExtLogRecord r = new ExtLogRecord(Level.INFO, MESSAGE, InvocationSummary.class.getName());
            r.setLoggerName(SUMMARY_LOGGER);
            r.copyAll();
            return r;
        });
        for (Formatter formatter : consoleFormatters()) {
            formatter.format(record);
        }
        if (metrics != null) {
            Json.write(metrics.toEmf(fields));
        }
    }

    /** Runs {@code body} with the summary's fields in the MDC, where the JSON formatter reads them. */
    private static <T> T withMdc(Map<String, String> fields, Supplier<T> body) {
        fields.forEach(MDC::put);
        try {
            return body.get();
        } finally {
            fields.keySet().forEach(MDC::remove);
        }
    }

    private static List<Formatter> consoleFormatters() {
        List<Formatter> formatters = new ArrayList<>();
        Deque<Handler> handlers = new ArrayDeque<>(List.of(LogContext.getLogContext().getLogger("").getHandlers()));
        while (!handlers.isEmpty()) {
            Handler handler = handlers.pop();
            if (handler.getFormatter() != null) {
                formatters.add(handler.getFormatter());
            }
            if (handler instanceof ExtHandler ext) {
                handlers.addAll(List.of(ext.getHandlers()));
            }
        }
        return formatters;
    }
}
