package cloud.phonematch.verify.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;


/**
 * openapi.yaml as a JSON tree, with the two things its readers need: following a local {@code $ref} to the object
 * it names, and validating a value against the schema at a JSON pointer. Schemas are validated with the OpenAPI 3.1
 * dialect of JSON Schema 2020-12, inside the whole document, so their {@code #/components/schemas/…} references
 * resolve as a client's would.
 */
public final class OpenApiDocument {
    public static final Path FILE = ProjectRoot.PATH.resolve("openapi.yaml");
    /** The address the validator knows the document by; it is served from memory, never fetched. */
    private static final String IRI = "https://phonematch.cloud/openapi.json";

    private static volatile OpenApiDocument shared;

    private final JsonNode root;
    private final JsonSchemaFactory factory;
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    private OpenApiDocument(JsonNode root) {
        this.root = root;
        String json = root.toString();
        this.factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, builder -> builder
                .metaSchema(OpenApi31.getInstance())
                .defaultMetaSchemaIri(OpenApi31.getInstance().getIri())
                .schemaLoaders(loaders -> loaders.schemas(Map.of(IRI, json))));
    }

    /** The file as it is on disk now, read once per test JVM. */
    public static OpenApiDocument shared() {
        OpenApiDocument d = shared;
        if (d == null) {
            synchronized (OpenApiDocument.class) {
                if (shared == null) {
                    shared = read(FILE);
                }
                d = shared;
            }
        }
        return d;
    }

    public static OpenApiDocument read(Path file) {
        try {
            return new OpenApiDocument(new ObjectMapper(new YAMLFactory()).readTree(file.toFile()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    public JsonNode root() {
        return root;
    }

    /** The node at a JSON pointer ({@code ""} is the document), missing when there is none. */
    public JsonNode at(String pointer) {
        return root.at(pointer);
    }

    /**
     * The pointer of the object that {@code pointer} stands for: itself, or where its {@code $ref} (and that one's,
     * and so on) leads. Only references inside this document exist here.
     */
    public String resolve(String pointer) {
        String current = pointer;
        Set<String> seen = new HashSet<>();
        while (at(current).path("$ref").isTextual()) {
            String ref = at(current).path("$ref").asText();
            if (!ref.startsWith("#/") || !seen.add(ref)) {
                throw new IllegalStateException(pointer + ": unsupported or circular $ref " + ref);
            }
            current = ref.substring(1);
        }
        if (at(current).isMissingNode()) {
            throw new IllegalStateException(pointer + " leads to " + current + ", which does not exist");
        }
        return current;
    }

    /** Problems of {@code value} against the schema at {@code schemaPointer}; empty when it is valid. */
    public Set<ValidationMessage> validate(String schemaPointer, JsonNode value) {
        return schemas.computeIfAbsent(schemaPointer,
                p -> factory.getSchema(SchemaLocation.of(IRI + "#" + p))).validate(value);
    }

    /** One JSON pointer token: {@code /verifications} is {@code ~1verifications}. */
    public static String token(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
