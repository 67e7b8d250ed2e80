package cloud.phonematch.verify.deploy;

import static cloud.phonematch.verify.deploy.Template.map;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The CloudWatch dashboard of a template as CloudFormation would create it ({@code Fn::Sub} evaluated with sample
 * values), and what its widgets name: metrics (written out, or found by {@code SEARCH} expressions) and Logs
 * Insights queries. The readers understand only the forms the template uses and refuse any other, so that a
 * check built on them cannot pass by overlooking a metric.
 */
final class Dashboard {
    static final ObjectMapper JSON = new ObjectMapper();

    /** {@code ${Name}} or {@code ${!Literal}} in {@code Fn::Sub}. */
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");
    /** {@code SEARCH('{Namespace,Dim,...} terms', 'Statistic', Period)}. */
    private static final Pattern SEARCH = Pattern.compile(
            "SEARCH\\(\\s*'\\s*\\{([^}]*)}\\s*([^']*)'\\s*,\\s*'([^']+)'\\s*,\\s*(\\d+)\\s*\\)");
    /** One search term: {@code Property="exact value"}, optionally negated. */
    private static final Pattern SEARCH_TERM = Pattern.compile("\\G\\s*(NOT\\s+)?(\\w+)=\"([^\"\\\\()]*)\"\\s*");
    private static final Pattern LOG_QUERY = Pattern.compile("^SOURCE '([^']+)'((?:\\s*\\|[^|]+)+)$");
    private static final Pattern MESSAGE_LIKE = Pattern.compile("@message like \"([^\"]+)\"");
    /** What Ref gives for the named resources the dashboard and its output refer to: their name property. */
    private static final Map<String, String> NAME_PROPERTY = Map.of(
            "AWS::Serverless::Function", "FunctionName",
            "AWS::Logs::LogGroup", "LogGroupName",
            "AWS::CloudWatch::Dashboard", "DashboardName");

    private Dashboard() {
    }

    /**
     * A metric a widget names: its namespace, name and dimension names; the dimension values it fixes
     * ({@code Status="X"} in a search, or the values of a written-out metric); those a search leaves out
     * ({@code NOT Status="X"}); and the statistic.
     */
    record MetricUse(String widget, String namespace, String metric, Set<String> dimensions,
            Map<String, String> fixed, Map<String, Set<String>> excluded, String statistic) {
    }

    /** A Logs Insights widget: the log group it reads and the phrases it requires in {@code @message}. */
    record LogQuery(String widget, String source, List<String> messagePhrases, String query) {
    }

    /**
     * What CloudFormation makes of {@code Fn::Sub} (its string, or its [string, variables] form):
     * {@code ${!Literal}} becomes {@code ${Literal}}, every other {@code ${Name}} is looked up (the form's own
     * variables first, already resolved to strings); a name nothing answers fails.
     */
    static String sub(Object fnSub, UnaryOperator<String> lookup) {
        String text;
        Map<String, Object> local = Map.of();
        if (fnSub instanceof List<?> form) {
            text = (String) form.get(0);
            local = form.size() > 1 ? map(form.get(1), "Fn::Sub variables") : Map.of();
        } else {
            text = (String) fnSub;
        }
        Map<String, Object> variables = local;
        Matcher m = SUB_VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value;
            if (name.startsWith("!")) {
                value = "${" + name.substring(1) + "}";
            } else if (variables.containsKey(name)) {
                value = String.valueOf(variables.get(name));
            } else {
                value = lookup.apply(name.trim());
            }
            if (value == null) {
                throw new AssertionError("${" + name + "} names nothing with a sample value");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * A lookup for {@link #sub}: the sample pseudo parameters, the parameter values, and for a resource what
     * {@code Ref} gives (the name property of a function, log group or dashboard, itself evaluated).
     */
    static UnaryOperator<String> lookup(Template template, Map<String, String> values) {
        return new UnaryOperator<>() {
            @Override
            public String apply(String name) {
                if (values.containsKey(name)) {
                    return values.get(name);
                }
                if (!template.resources().containsKey(name)) {
                    return null;
                }
                String property = NAME_PROPERTY.get(template.type(name));
                if (property == null) {
                    throw new AssertionError("no sample for Ref " + name + " (" + template.type(name) + ")");
                }
                Object nameValue = template.resolvedProperties(name, values).get(property);
                return nameValue instanceof Map<?, ?> fn && fn.containsKey("Fn::Sub") ? sub(fn.get("Fn::Sub"), this)
                        : (String) nameValue;
            }
        };
    }

    /** The dashboard's body for these parameter and pseudo-parameter values, parsed. */
    static JsonNode body(Template template, String resource, Map<String, String> values) {
        return parse(bodyText(template, resource, values));
    }

    static String bodyText(Template template, String resource, Map<String, String> values) {
        Object body = template.resolvedProperties(resource, values).get("DashboardBody");
        Object fnSub = map(body, resource + ".DashboardBody").get("Fn::Sub");
        if (fnSub == null) {
            throw new AssertionError(resource + ".DashboardBody is not an Fn::Sub: " + body);
        }
        return sub(fnSub, lookup(template, values));
    }

    static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("the dashboard body is not JSON: " + e.getMessage(), e);
        }
    }

    /** Every metric the metric widgets name, written out or searched for. */
    static List<MetricUse> metricUses(JsonNode body) {
        List<MetricUse> uses = new ArrayList<>();
        for (JsonNode widget : body.path("widgets")) {
            if (!"metric".equals(widget.path("type").asText())) {
                continue;
            }
            JsonNode properties = widget.path("properties");
            String title = properties.path("title").asText();
            String widgetStat = properties.path("stat").asText("Average");
            for (JsonNode row : properties.path("metrics")) {
                if (row.path(0).isObject()) {
                    String expression = row.path(0).path("expression").asText(null);
                    if (expression == null) {
                        throw new AssertionError(title + ": a metrics row that is an object must be an expression: " + row);
                    }
                    uses.addAll(searches(title, expression));
                } else {
                    uses.add(writtenOut(title, row, widgetStat));
                }
            }
        }
        return uses;
    }

    /** Every expression of the metric widgets ({@code {"id", "expression", "label", ...}}), by its id. */
    static Map<String, JsonNode> expressionRows(JsonNode body) {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (JsonNode widget : body.path("widgets")) {
            for (JsonNode row : widget.path("properties").path("metrics")) {
                JsonNode e = row.path(0);
                if (e.isObject() && e.has("expression")) {
                    byId.put(e.path("id").asText(), e);
                }
            }
        }
        return byId;
    }

    /** The metrics the {@code SEARCH} expressions inside {@code expression} find. */
    static List<MetricUse> searches(String widget, String expression) {
        List<MetricUse> uses = new ArrayList<>();
        Matcher m = SEARCH.matcher(expression);
        int searchesSeen = 0;
        while (m.find()) {
            searchesSeen++;
            List<String> schema = new ArrayList<>();
            for (String part : m.group(1).split(",")) {
                schema.add(part.trim().replaceAll("^\"(.*)\"$", "$1"));
            }
            String metric = null;
            Map<String, String> fixed = new LinkedHashMap<>();
            Map<String, Set<String>> excluded = new LinkedHashMap<>();
            Matcher term = SEARCH_TERM.matcher(m.group(2));
            int end = 0;
            while (term.find()) {
                end = term.end();
                boolean not = term.group(1) != null;
                String property = term.group(2);
                String value = term.group(3);
                if (property.equals("MetricName") && !not) {
                    if (metric != null) {
                        throw new AssertionError(widget + ": a search names two metrics: " + expression);
                    }
                    metric = value;
                } else if (not) {
                    excluded.computeIfAbsent(property, k -> new LinkedHashSet<>()).add(value);
                } else {
                    fixed.put(property, value);
                }
            }
            if (end != m.group(2).length()) {
                throw new AssertionError(widget + ": search terms other than MetricName=\"…\", Dim=\"…\" and "
                        + "NOT Dim=\"…\" are not understood here: " + m.group(2).substring(end));
            }
            if (metric == null) {
                throw new AssertionError(widget + ": a search without MetricName=\"…\": " + expression);
            }
            uses.add(new MetricUse(widget, schema.get(0), metric, new LinkedHashSet<>(schema.subList(1, schema.size())),
                    fixed, excluded, m.group(3)));
        }
        if (searchesSeen != expression.split("SEARCH\\(", -1).length - 1) {
            throw new AssertionError(widget + ": a SEARCH not in the form SEARCH('{…} terms', 'Stat', period): "
                    + expression);
        }
        return uses;
    }

    /** {@code [namespace, metric, dim, value, ..., {options}]}; the "." shorthand is refused. */
    private static MetricUse writtenOut(String widget, JsonNode row, String widgetStat) {
        List<String> parts = new ArrayList<>();
        String stat = widgetStat;
        for (JsonNode part : row) {
            if (part.isObject()) {
                stat = part.path("stat").asText(stat);
            } else if (part.asText().equals(".")) {
                throw new AssertionError(widget + ": write every metric out in full (no \".\"): " + row);
            } else {
                parts.add(part.asText());
            }
        }
        if (parts.size() < 2 || parts.size() % 2 != 0) {
            throw new AssertionError(widget + ": not [namespace, metric, dimension, value...]: " + row);
        }
        Map<String, String> fixed = new LinkedHashMap<>();
        for (int i = 2; i < parts.size(); i += 2) {
            fixed.put(parts.get(i), parts.get(i + 1));
        }
        return new MetricUse(widget, parts.get(0), parts.get(1), fixed.keySet(), fixed, Map.of(), stat);
    }

    /** The Logs Insights widgets. */
    static List<LogQuery> logQueries(JsonNode body) {
        List<LogQuery> queries = new ArrayList<>();
        for (JsonNode widget : body.path("widgets")) {
            if (!"log".equals(widget.path("type").asText())) {
                continue;
            }
            String title = widget.path("properties").path("title").asText();
            String query = widget.path("properties").path("query").asText();
            Matcher m = LOG_QUERY.matcher(query);
            if (!m.matches()) {
                throw new AssertionError(title + ": not SOURCE '<log group>' | ...: " + query);
            }
            List<String> phrases = new ArrayList<>();
            Matcher like = MESSAGE_LIKE.matcher(m.group(2));
            while (like.find()) {
                phrases.add(like.group(1));
            }
            queries.add(new LogQuery(title, m.group(1), phrases, query));
        }
        return queries;
    }
}
