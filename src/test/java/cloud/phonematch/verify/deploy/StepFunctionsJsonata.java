package cloud.phonematch.verify.deploy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Evaluates a state machine's {@code "{% ... %}"} field the way Step Functions does: JSONata 2.x with a
 * {@code $states} object and Step Functions' own functions {@code $parse} (JSON text to a value) and {@code $hash}
 * (a hex digest).
 */
final class StepFunctionsJsonata {
    private static final Pattern FIELD = Pattern.compile("(?s)\\{%(.*)%}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private StepFunctionsJsonata() {
    }

    /** In a Catch: the state's input and the error output. */
    static Object evaluate(String field, Object input, Map<String, Object> errorOutput) {
        return evaluate(field, Map.of("input", input, "errorOutput", errorOutput));
    }

    /** @param states {@code $states}: {@code input}, {@code context}, {@code errorOutput} as the field sees them */
    static Object evaluate(String field, Map<String, Object> states) {
        Matcher m = FIELD.matcher(field.strip());
        if (!m.matches()) {
            throw new AssertionError("not a JSONata field: " + field);
        }
        Jsonata expression = Jsonata.jsonata(m.group(1));
        expression.assign("states", states);
        expression.registerFunction("parse", (Jsonata.Fn1<String, Object>) StepFunctionsJsonata::parse);
        expression.registerFunction("hash", (Jsonata.Fn2<String, String, String>) StepFunctionsJsonata::hash);
        return expression.evaluate(null);
    }

    private static String hash(String value, String algorithm) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm)
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("$hash: unknown algorithm " + algorithm, e);
        }
    }

    private static Object parse(String text) {
        try {
            return JSON.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("$parse: not JSON", e);
        }
    }
}
