package cloud.phonematch.verify.observability;

import java.io.PrintStream;
import java.time.Clock;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.phonematch.verify.json.Json;

/**
 * One CloudWatch Embedded Metric Format object per invocation, printed as its own line on stdout: CloudWatch
 * Logs extracts the metrics from it, with no agent and no API call. It must be a bare JSON object on its own
 * line (a log formatter's envelope would hide it from the extraction), so it bypasses the log formatter.
 * <p>
 * Dimensions {@code Source} × {@code Status} (the outcome status or the error type); metrics
 * {@code Verifications}, {@code Billable}, {@code Errors}, {@code OutcomeUnknown} (failures the API may have
 * charged), {@code Replayed} (answers returned again for a repeated idempotency key), {@code Reused} (charged
 * answers kept for a person and given again), {@code ColdStart}, {@code Attempts} (Count) and {@code UpstreamLatency} (Milliseconds). The request and correlation ids ride along as searchable properties.
 */
final class EmbeddedMetrics {
    private static final String[][] METRICS = {
            { "Verifications", "Count" }, { "Billable", "Count" }, { "Errors", "Count" },
            { "OutcomeUnknown", "Count" }, { "Replayed", "Count" }, { "Reused", "Count" }, { "ColdStart", "Count" },
            { "Attempts", "Count" },
            { "UpstreamLatency", "Milliseconds" } };

    private final String namespace;
    private final Clock clock;
    private final PrintStream out;

    EmbeddedMetrics(String namespace, Clock clock, PrintStream out) {
        this.namespace = namespace;
        this.clock = clock;
        this.out = out;
    }

    void emit(SummaryFields f) {
        out.println(Json.write(toEmf(f)));
    }

    ObjectNode toEmf(SummaryFields f) {
        ObjectNode root = Json.object();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", clock.millis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", namespace);
        directive.putArray("Dimensions").addArray().add("Source").add("Status");
        ArrayNode metrics = directive.putArray("Metrics");
        for (String[] m : METRICS) {
            metrics.addObject().put("Name", m[0]).put("Unit", m[1]);
        }
        root.put("Source", f.source());
        root.put("Status", f.statusOrError());
        // A property, not a dimension: callers are unbounded (source addresses), and each dimension value is a
        // metric of its own. Spend per caller is counted from it by the stack's Contributor Insights rule.
        root.put("caller", f.caller());
        root.put("Verifications", 1);
        root.put("Billable", f.billable() ? 1 : 0);
        root.put("Errors", f.failed() ? 1 : 0);
        root.put("OutcomeUnknown", f.outcomeUnknown() ? 1 : 0);
        root.put("Replayed", f.replayed() ? 1 : 0);
        root.put("Reused", f.reused() ? 1 : 0);
        root.put("ColdStart", f.coldStart() ? 1 : 0);
        root.put("Attempts", f.attempts());
        root.put("UpstreamLatency", f.upstreamMs());
        root.put("aws_request_id", f.requestId());
        root.put("correlation_id", f.correlationId());
        return root;
    }
}
