package cloud.phonematch.verify.deploy;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Evaluates a state machine's {@code "{% ... %}"} field the way Step Functions does for a Catch: JSONata 2.x with
 * {@code $states.input}, {@code $states.errorOutput} and Step Functions' own {@code $parse} (JSON text to a value).
 */
final class StepFunctionsJsonata {
    private static final Pattern FIELD = Pattern.compile("(?s)\\{%(.*)%}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private StepFunctionsJsonata() {
    }

    static Object evaluate(String field, Object input, Map<String, Object> errorOutput) {
        Matcher m = FIELD.matcher(field.strip());
        if (!m.matches()) {
            throw new AssertionError("not a JSONata field: " + field);
        }
        Jsonata expression = Jsonata.jsonata(m.group(1));
        expression.assign("states", Map.of("input", input, "errorOutput", errorOutput));
        expression.registerFunction("parse", (Jsonata.Fn1<String, Object>) StepFunctionsJsonata::parse);
        return expression.evaluate(null);
    }

    private static Object parse(String text) {
        try {
            return JSON.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("$parse: not JSON", e);
        }
    }
}
