package cloud.phonematch.verify.support;

import java.io.InputStream;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/** The published output schema (src/main/resources/schema), applied to every output the suite sees. */
public final class OutputSchema {
    private static final JsonSchema SCHEMA = load();

    private OutputSchema() {
    }

    private static JsonSchema load() {
        try (InputStream in = OutputSchema.class.getResourceAsStream("/schema/verification-output.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static Set<ValidationMessage> problems(JsonNode output) {
        return SCHEMA.validate(output);
    }

    /** Fails the calling test when {@code output} is not in the published shape. */
    public static JsonNode requireValid(JsonNode output) {
        Set<ValidationMessage> problems = problems(output);
        if (!problems.isEmpty()) {
            throw new AssertionError("output does not match the published schema: " + problems + "\n" + output);
        }
        return output;
    }
}
