package cloud.phonematch.verify.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.localgateway.LocalGatewaySettings;
import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.output.FailureJson;
import cloud.phonematch.verify.support.OpenApiDocument;
import cloud.phonematch.verify.support.ProjectRoot;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

/**
 * openapi.yaml against the code: a valid OpenAPI 3.1 document whose outcome and failure schemas are the published
 * JSON Schema's, and whose statuses, error types and headers per response are the ones the function gives.
 * Every exchange the suite sends through API Gateway events is held to it as well ({@code OpenApiContract}).
 */
@ExtendWith(DeploymentFiles.Loaded.class)
class OpenApiTest {
    private static final OpenApiDocument DOC = OpenApiDocument.shared();
    private static final String POST = "/paths/~1verifications/post";
    /** Answers of API Gateway itself, never of the function. */
    private static final Set<Integer> GATEWAY_ONLY = Set.of(401, 403);
    private static final JsonNode GATEWAY_BODY = Json.object().put("message", "Forbidden");
    /** Refusals of the request itself, which no verification followed: they carry no attempts. */
    private static final Set<ErrorType> REQUEST_REFUSALS = Set.of(ErrorType.INVALID_REQUEST,
            ErrorType.INVALID_ENCODING, ErrorType.NOT_FOUND, ErrorType.METHOD_NOT_ALLOWED);

    @Test
    void isAnOpenApi31DocumentTheReferenceParserReadsWithoutMessages() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readLocation(OpenApiDocument.FILE.toUri().toString(), null,
                options);

        assertEquals(List.of(), result.getMessages());
        assertTrue(result.getOpenAPI().getOpenapi().matches("3\\.1\\.\\d+"), result.getOpenAPI().getOpenapi());
        assertTrue(result.getOpenAPI().getPaths().containsKey("/verifications"));
    }

    @Test
    void versionIsTheProjectVersion() throws Exception {
        var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(ProjectRoot.PATH.resolve("pom.xml").toFile());
        String version = XPathFactory.newInstance().newXPath().evaluate("/project/version", pom);

        assertFalse(version.isBlank());
        assertEquals(version, DOC.at("/info/version").asText());
    }

    /**
     * The outcome and failure schemas are copied from the published JSON Schema (OpenAPI 3.1 schemas are JSON
     * Schema 2020-12), so that openapi.yaml stands alone for clients and tools; this keeps the copies equal.
     */
    @Test
    void sharedSchemasAreThePublishedJsonSchemasDefinitions() throws Exception {
        JsonNode published;
        try (InputStream in = OpenApiTest.class.getResourceAsStream("/schema/verification-output.schema.json")) {
            published = Json.MAPPER.readTree(in);
        }
        // The published root is only the choice between its definitions: nothing else to carry over.
        assertEquals(Set.of("$schema", "$id", "title", "description", "oneOf", "$defs"), names(published));
        Set<String> rootChoices = new TreeSet<>();
        published.path("oneOf").forEach(ref -> rootChoices.add(ref.path("$ref").asText()));
        Set<String> definitions = new TreeSet<>();
        names(published.path("$defs")).forEach(name -> definitions.add("#/$defs/" + name));
        assertEquals(definitions, rootChoices);

        JsonNode components = DOC.at("/components/schemas");
        for (String name : names(published.path("$defs"))) {
            assertEquals(withRefsUnder(published.path("$defs").path(name), "#/$defs/", "#/components/schemas/"),
                    components.path(name), "components.schemas." + name + " differs from $defs/" + name);
        }
    }

    /**
     * Every failure body the function can write over HTTP, by type, is accepted at exactly the POST statuses the
     * function gives it with: the type's own, 502 for a 503 type once the API may have charged ({@code maybeCharged}),
     * and 413 for an oversized body (the one explicit status of the HTTP adapter). So the statuses POST declares
     * and the error types each one allows are derived from {@link ErrorType} and {@link Failure}, not listed twice.
     */
    @Test
    void postDeclaresExactlyTheStatusesAndErrorTypesTheFunctionGives() {
        Map<JsonNode, Set<Integer>> statusesByBody = new LinkedHashMap<>();
        for (ErrorType type : ErrorType.values()) {
            if (type == ErrorType.NOT_FOUND || type == ErrorType.METHOD_NOT_ALLOWED) {
                continue; // answers to other paths and methods: otherPathsAndMethods…
            }
            Failure plain = Failure.of(type, "m").withRetryAfter(1);
            Failure maybeCharged = plain.maybeCharged();
            if (!REQUEST_REFUSALS.contains(type)) {
                // What the function gives: every failure of a verification says what it sent.
                plain = plain.withCalls(new Failure.Calls(1, 0));
                maybeCharged = maybeCharged.withCalls(new Failure.Calls(2, 1));
            }
            for (Failure failure : List.of(plain, maybeCharged)) {
                Set<Integer> statuses = statusesByBody.computeIfAbsent(body(failure), b -> new TreeSet<>());
                statuses.add(failure.httpStatus());
                if (type == ErrorType.INVALID_REQUEST) {
                    statuses.add(failure.withHttpStatus(413).httpStatus()); // a body over the size limit
                }
            }
        }

        Set<Integer> expected = new TreeSet<>(GATEWAY_ONLY);
        expected.add(200);
        statusesByBody.values().forEach(expected::addAll);
        Set<Integer> declared = statuses(POST);
        assertEquals(expected, declared);

        for (Map.Entry<JsonNode, Set<Integer>> e : statusesByBody.entrySet()) {
            assertEquals(e.getValue(), statusesAccepting(POST, e.getKey()), "statuses accepting " + e.getKey());
        }
        assertEquals(Set.of(401, 403, 413, 429, 500), statusesAccepting(POST, GATEWAY_BODY),
                "API Gateway's own answers");
    }

    /**
     * Each server's URL is where the description's paths begin: the deployed ones are the stack's output
     * {@code HttpApiUrl} (the output {@code ApiUrl} being it with {@code /verifications}), so that neither composes
     * into a doubled path; the local one is dev mode's local HTTP API on its default port.
     */
    @Test
    void serversAreTheBaseUrlsTheStackAndDevModeServe() {
        Map<String, Object> outputs = DeploymentFiles.template.outputs();
        String base = (String) Template.map(Template.map(outputs.get("HttpApiUrl"), "HttpApiUrl").get("Value"), "Value")
                .get("Fn::Sub");
        String apiUrl = (String) Template.map(Template.map(outputs.get("ApiUrl"), "ApiUrl").get("Value"), "Value")
                .get("Fn::Sub");
        assertEquals(base + "/verifications", apiUrl, "ApiUrl is the base URL and the one path");
        Set<String> paths = names(DOC.at("/paths"));
        assertEquals(Set.of("/verifications"), paths);

        List<String> deployed = new ArrayList<>();
        boolean local = false;
        for (JsonNode server : DOC.at("/servers")) {
            String url = server.path("url").asText();
            assertFalse(url.endsWith("/") || url.contains("/verifications"), url + ": the paths add the path");
            if (url.startsWith("http://localhost:")) {
                local = true;
                assertEquals("http://localhost:" + LocalGatewaySettings.from(name -> Optional.empty()).port(), url);
                continue;
            }
            deployed.add(url);
            assertTrue(server.path("description").asText().contains("`HttpApiUrl`"), url);
            String asTemplated = url.replace("{apiId}", "${HttpApi}").replace("{region}", "${AWS::Region}")
                    .replaceFirst("amazonaws\\.com(\\.cn)?$", "\\${AWS::URLSuffix}");
            assertEquals(base, asTemplated, url);
        }
        assertEquals(2, deployed.size(), "outside China and in it: " + deployed);
        assertTrue(local, "dev mode's local HTTP API is a server");
    }

    /** ANY /verifications and $default reach the function: other methods 405 with Allow, other paths 404. */
    @Test
    void otherPathsAndMethodsGetTheFunctionsRefusals() {
        JsonNode pathItem = DOC.at("/paths/~1verifications");
        Set<String> methods = names(pathItem);
        methods.removeAll(Set.of("parameters", "post"));
        assertEquals(Set.of("get", "put", "delete", "patch", "options", "head"), methods);

        JsonNode methodNotAllowed = body(Failure.of(ErrorType.METHOD_NOT_ALLOWED, "m"));
        for (String method : methods) {
            String operation = "/paths/~1verifications/" + method;
            assertEquals(Set.of(401, 403, 405, 429, 500), statuses(operation), method);
            String refusal = DOC.resolve(operation + "/responses/405");
            assertTrue(DOC.at(DOC.resolve(refusal + "/headers/Allow")).path("required").asBoolean(), method);
            assertTrue(DOC.validate(DOC.resolve(refusal + "/headers/Allow") + "/schema", TextNode.valueOf("POST"))
                    .isEmpty());
            if (!method.equals("head")) {
                assertEquals(Set.of(405), statusesAccepting(operation, methodNotAllowed), method);
            }
        }
        String notFound = "/components/responses/NotFound";
        assertTrue(DOC.validate(notFound + "/content/application~1json/schema",
                body(Failure.of(ErrorType.NOT_FOUND, "m"))).isEmpty());
        assertFalse(DOC.validate(notFound + "/content/application~1json/schema", methodNotAllowed).isEmpty());
    }

    /**
     * Retry-After goes with every status whose error types carry {@code retry_after_seconds} (the published schema
     * requires it for those types), and with no other; X-Request-Id with every answer the function can give,
     * required wherever API Gateway cannot have answered instead.
     */
    @Test
    void headersAreDeclaredWhereTheFunctionSetsThem() {
        Set<Integer> withRetryAfter = new TreeSet<>();
        JsonNode rule = DOC.at("/components/schemas/failure/properties/error/allOf/0");
        assertEquals("retry_after_seconds", rule.at("/then/required/0").asText());
        rule.at("/if/properties/type/enum")
                .forEach(type -> withRetryAfter.add(ErrorType.valueOf(type.asText()).httpStatus()));
        assertEquals(Set.of(409, 429), withRetryAfter);

        for (int status : statuses(POST)) {
            String response = DOC.resolve(POST + "/responses/" + status);
            JsonNode headers = DOC.at(response + "/headers");
            assertEquals(withRetryAfter.contains(status), headers.has("Retry-After"), status + ": Retry-After");
            if (GATEWAY_ONLY.contains(status)) {
                assertFalse(headers.has("X-Request-Id"), status + " comes from API Gateway only");
                continue;
            }
            boolean gatewayMayAnswer = statusesAccepting(POST, GATEWAY_BODY).contains(status);
            assertTrue(headers.has("X-Request-Id"), status + ": X-Request-Id");
            assertEquals(!gatewayMayAnswer,
                    DOC.at(DOC.resolve(response + "/headers/X-Request-Id")).path("required").asBoolean(false),
                    status + ": X-Request-Id is required unless API Gateway may have answered");
            if (headers.has("Retry-After")) {
                assertEquals(!gatewayMayAnswer,
                        DOC.at(DOC.resolve(response + "/headers/Retry-After")).path("required").asBoolean(false),
                        status + ": Retry-After is required unless API Gateway may have answered");
            }
        }
    }

    /** Examples are documentation a client copies: each one matches the schema it illustrates. */
    @Test
    void everyExampleMatchesItsSchema() {
        List<String> checked = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        walk(DOC.root(), "", (pointer, node) -> {
            if (!node.has("schema")) {
                return;
            }
            List<JsonNode> examples = new ArrayList<>();
            if (node.has("example")) {
                examples.add(node.get("example"));
            }
            node.path("examples").forEach(e -> examples.add(e.path("value")));
            for (JsonNode example : examples) {
                checked.add(pointer);
                DOC.validate(pointer + "/schema", example).forEach(m -> problems.add(pointer + ": " + m));
            }
        });
        // The request in the API's description text.
        Matcher request = Pattern.compile("\\n(\\{\"name\".*})\\n").matcher(DOC.at("/info/description").asText());
        assertTrue(request.find(), "the description shows an example request body");
        DOC.validate(POST + "/requestBody/content/application~1json/schema", parse(request.group(1)))
                .forEach(m -> problems.add("info.description: " + m));

        assertEquals(List.of(), problems);
        assertTrue(checked.size() >= 10, "examples checked: " + checked);
    }

    // ------------------------------------------------------------------ helpers

    private static JsonNode body(Failure failure) {
        return FailureJson.toJson(failure, "req-1");
    }

    private static Set<Integer> statuses(String operation) {
        Set<Integer> statuses = new TreeSet<>();
        names(DOC.at(operation + "/responses")).forEach(s -> statuses.add(Integer.parseInt(s)));
        return statuses;
    }

    /** The statuses of an operation whose declared JSON schema accepts {@code body}. */
    private static Set<Integer> statusesAccepting(String operation, JsonNode body) {
        Set<Integer> accepting = new TreeSet<>();
        for (int status : statuses(operation)) {
            String response = DOC.resolve(operation + "/responses/" + status);
            String schema = response + "/content/application~1json/schema";
            if (!DOC.at(schema).isMissingNode() && DOC.validate(schema, body).isEmpty()) {
                accepting.add(status);
            }
        }
        return accepting;
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A copy of {@code schema} whose {@code $ref}s starting with {@code from} start with {@code to} instead. */
    private static JsonNode withRefsUnder(JsonNode schema, String from, String to) {
        JsonNode copy = schema.deepCopy();
        walk(copy, "", (pointer, node) -> {
            if (node.path("$ref").isTextual() && node.path("$ref").asText().startsWith(from)) {
                ((ObjectNode) node).put("$ref", to + node.path("$ref").asText().substring(from.length()));
            }
        });
        return copy;
    }

    private interface Visitor {
        void visit(String pointer, JsonNode object);
    }

    /** Every object in the tree, with its JSON pointer. */
    private static void walk(JsonNode node, String pointer, Visitor visitor) {
        if (node.isObject()) {
            visitor.visit(pointer, node);
            new ArrayList<>(names(node)).forEach(
                    name -> walk(node.get(name), pointer + "/" + OpenApiDocument.token(name), visitor));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), pointer + "/" + i, visitor);
            }
        }
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
