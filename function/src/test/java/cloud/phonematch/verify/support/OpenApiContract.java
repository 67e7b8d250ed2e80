package cloud.phonematch.verify.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.ValidationMessage;

/**
 * Holds every HTTP exchange of the suite to openapi.yaml: given the API Gateway event (payload 2.0 or 1.0) and the
 * proxy response the function gave, it finds the operation (or the 404 every other path gets) and checks both sides.
 * <p>
 * The response: its status is declared; its body validates against the declared schema for that status and its
 * {@code Content-Type} is a declared media type; every declared header it carries has a value matching its schema,
 * every required one is present, and it carries no header the description leaves out.
 * <p>
 * The request: the suite sends invalid requests on purpose, so a request that does not match the description is
 * not a failure by itself. What must hold is that the description and the function accept the same requests:
 * a request whose body (a JSON document without a repeated key) or header parameters do not match the description
 * is refused with {@code INVALID_REQUEST} or {@code INVALID_ENCODING} (400, or 413 for a body over the size limit),
 * and one that matches is not
 * refused with 400 — unless its {@code idempotency_key} and {@code Idempotency-Key} differ, the one rule the
 * description can state only in words. A matching request may still be answered 200 {@code INVALID_NAME} or any
 * other status: the schema says what may be sent, not what the answer will be.
 * The request's {@code Content-Type} is not checked: the function reads the body as JSON whatever it says.
 */
public final class OpenApiContract {
    /** Reads request bodies as the description means them: JSON, with no key given twice. */
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final String NOT_FOUND_RESPONSE = "/components/responses/NotFound";
    /** The one request rule outside the schemas: the body's key and the header's must agree. */
    private static final String BODY_KEY = "idempotency_key";
    private static final String HEADER_KEY = "idempotency-key";

    /** The error types of a request the function refuses for what it is (400). */
    private static final Set<String> REQUEST_REFUSALS = Set.of("INVALID_REQUEST", "INVALID_ENCODING");

    private static final AtomicInteger CHECKED = new AtomicInteger();

    private OpenApiContract() {
    }

    /** How many exchanges passed {@link #requireValid} in this JVM. */
    public static int exchangesChecked() {
        return CHECKED.get();
    }

    /** Fails the calling test when the exchange is not one openapi.yaml describes. */
    public static void requireValid(JsonNode event, JsonNode proxyResponse) {
        List<String> problems = problems(OpenApiDocument.shared(), event, proxyResponse);
        if (!problems.isEmpty()) {
            // The request body is left out: it holds a name and a number. The response holds neither in the clear.
            throw new AssertionError("HTTP exchange does not match openapi.yaml: " + problems + "\nrequest: "
                    + HttpExchange.request(event).summary() + "\nresponse: " + proxyResponse);
        }
        CHECKED.incrementAndGet();
    }

    public static List<String> problems(OpenApiDocument doc, JsonNode event, JsonNode proxyResponse) {
        HttpExchange.Request request = HttpExchange.request(event);
        HttpExchange.Response response = HttpExchange.response(proxyResponse);
        List<String> problems = new ArrayList<>();
        String pathItem = "/paths/" + OpenApiDocument.token(request.path());
        String responsePointer;
        if (doc.at(pathItem).isMissingNode()) {
            if (response.status() != 404) {
                problems.add("a path the description does not name must be answered 404, not " + response.status());
                return problems;
            }
            responsePointer = NOT_FOUND_RESPONSE;
        } else {
            String operation = pathItem + "/" + request.method().toLowerCase(Locale.ROOT);
            if (doc.at(operation).isMissingNode()) {
                problems.add("no operation " + request.method() + " " + request.path());
                return problems;
            }
            String declared = operation + "/responses/" + response.status();
            if (doc.at(declared).isMissingNode()) {
                problems.add("status " + response.status() + " is not declared for " + request.method() + " "
                        + request.path());
                return problems;
            }
            responsePointer = doc.resolve(declared);
            checkRequest(doc, pathItem, operation, request, response, problems);
        }
        checkResponse(doc, responsePointer, request, response, problems);
        return problems;
    }

    // ------------------------------------------------------------------ request

    private static void checkRequest(OpenApiDocument doc, String pathItem, String operation,
            HttpExchange.Request request, HttpExchange.Response response, List<String> problems) {
        if (doc.at(operation + "/requestBody").isMissingNode()) {
            // An operation without a request body is one the function refuses for its method alone (405): it reads
            // nothing of the request, so what the request holds decides nothing.
            return;
        }
        List<String> mismatches = new ArrayList<>();
        for (String parameters : List.of(pathItem + "/parameters", operation + "/parameters")) {
            for (int i = 0; i < doc.at(parameters).size(); i++) {
                String parameter = doc.resolve(parameters + "/" + i);
                JsonNode p = doc.at(parameter);
                if (!"header".equals(p.path("in").asText())) {
                    throw new IllegalStateException(parameter + ": only header parameters are checked");
                }
                String value = request.header(p.path("name").asText());
                if (value == null) {
                    if (p.path("required").asBoolean(false)) {
                        mismatches.add("header " + p.path("name").asText() + " is required");
                    }
                    continue;
                }
                for (ValidationMessage m : doc.validate(parameter + "/schema", headerValue(doc, parameter, value))) {
                    mismatches.add("header " + p.path("name").asText() + ": " + m.getMessage());
                }
            }
        }
        JsonNode requestBody = doc.at(operation + "/requestBody");
        boolean keysDisagree = false;
        if (!requestBody.isMissingNode()) {
            String body = doc.resolve(operation + "/requestBody");
            Optional<JsonNode> json = strictJson(request.body());
            if (json.isEmpty()) {
                if (doc.at(body).path("required").asBoolean(false)) {
                    mismatches.add("the body is missing or not a JSON document without repeated keys");
                }
            } else {
                String schema = body + "/content/" + OpenApiDocument.token("application/json") + "/schema";
                for (ValidationMessage m : doc.validate(schema, json.get())) {
                    mismatches.add("body: " + m.getMessage());
                }
                JsonNode bodyKey = json.get().path(BODY_KEY);
                String headerKey = request.header(HEADER_KEY);
                keysDisagree = bodyKey.isTextual() && headerKey != null && !bodyKey.asText().equals(headerKey);
            }
        }
        String refusal = response.json().path("error").path("type").asText();
        boolean refusedAsInvalid = (response.status() == 400 && REQUEST_REFUSALS.contains(refusal))
                || (response.status() == 413 && "INVALID_REQUEST".equals(refusal));
        if (!mismatches.isEmpty() && !refusedAsInvalid) {
            problems.add("the request does not match the description " + mismatches + ", yet was answered "
                    + response.status() + " rather than refused as INVALID_REQUEST");
        }
        if (mismatches.isEmpty() && !keysDisagree && response.status() == 400) {
            problems.add("the request matches the description, yet was refused with 400: "
                    + response.json().path("error").path("message").asText());
        }
    }

    /** The body as {@code application/json} means it: UTF-8 (RFC 8259, 8.1), one document, no key given twice. */
    private static Optional<JsonNode> strictJson(byte[] body) {
        if (body == null || body.length == 0) {
            return Optional.empty();
        }
        try {
            Optional<String> text = cloud.phonematch.verify.json.Json.utf8(body);
            return text.isEmpty() ? Optional.empty() : Optional.of(STRICT.readTree(text.get()));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    // ------------------------------------------------------------------ response

    private static void checkResponse(OpenApiDocument doc, String responsePointer, HttpExchange.Request request,
            HttpExchange.Response response, List<String> problems) {
        JsonNode declared = doc.at(responsePointer);
        Map<String, String> declaredHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Iterator<Map.Entry<String, JsonNode>> headers = declared.path("headers").fields();
        while (headers.hasNext()) {
            Map.Entry<String, JsonNode> h = headers.next();
            String header = doc.resolve(responsePointer + "/headers/" + OpenApiDocument.token(h.getKey()));
            declaredHeaders.put(h.getKey(), header);
            String value = response.header(h.getKey());
            if (value == null) {
                if (doc.at(header).path("required").asBoolean(false)) {
                    problems.add(response.status() + ": required header " + h.getKey() + " is missing");
                }
                continue;
            }
            for (ValidationMessage m : doc.validate(header + "/schema", headerValue(doc, header, value))) {
                problems.add(response.status() + ": header " + h.getKey() + " '" + value + "': " + m.getMessage());
            }
        }
        for (String name : response.headerNames()) {
            // Content-Type is described by the content's media types (OpenAPI ignores a header of that name).
            if (!name.equalsIgnoreCase("content-type") && !declaredHeaders.containsKey(name)) {
                problems.add(response.status() + ": header " + name + " is not declared for this response");
            }
        }
        JsonNode content = declared.path("content");
        if (content.isEmpty()) {
            // An answer to HEAD carries no content (RFC 9110, 9.3.2): what the function wrote is dropped on the way.
            if (response.body().length > 0 && !"HEAD".equalsIgnoreCase(request.method())) {
                problems.add(response.status() + ": a body where the description declares no content");
            }
            return;
        }
        String contentType = response.header("content-type");
        String mediaType = contentType == null ? null
                : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (mediaType == null || !content.has(mediaType)) {
            problems.add(response.status() + ": Content-Type " + contentType + " is not one of "
                    + iterable(content.fieldNames()));
            return;
        }
        String schema = responsePointer + "/content/" + OpenApiDocument.token(mediaType) + "/schema";
        for (ValidationMessage m : doc.validate(schema, response.json())) {
            problems.add(response.status() + ": body: " + m.getMessage());
        }
    }

    /**
     * A header's text as the value its schema describes (OpenAPI's "simple" style): a number for a numeric schema,
     * else the text. Text that is not a number stays text, so that it fails a numeric schema.
     */
    private static JsonNode headerValue(OpenApiDocument doc, String parameterOrHeader, String value) {
        String type = doc.at(doc.resolve(parameterOrHeader + "/schema")).path("type").asText("");
        if (type.equals("integer") || type.equals("number")) {
            try {
                JsonNode number = STRICT.readTree(value);
                if (number != null && number.isNumber()) {
                    return number;
                }
            } catch (Exception notANumber) {
                // stays text
            }
        }
        return TextNode.valueOf(value);
    }

    private static List<String> iterable(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    /** The two sides of an exchange as the description sees them, read from the proxy event and response. */
    static final class HttpExchange {
        private HttpExchange() {
        }

        record Request(String method, String path, Map<String, String> headers, byte[] body) {
            String header(String name) {
                return headers.get(name);
            }

            /** Method, path and header names: nothing that could hold a person's data. */
            String summary() {
                return method + " " + path + " " + headers.keySet();
            }
        }

        record Response(int status, Map<String, String> headers, byte[] body, JsonNode json) {
            String header(String name) {
                return headers.get(name);
            }

            Set<String> headerNames() {
                return headers.keySet();
            }
        }

        /**
         * Payload 2.0 ({@code version} "2.0") or 1.0. The path is the one relative to the server URL: a named stage's
         * prefix is removed (the {@code $default} stage has none), and a trailing slash is dropped, as the
         * description says the function does.
         */
        static Request request(JsonNode event) {
            boolean v2 = "2.0".equals(event.path("version").asText());
            String method = v2 ? event.path("requestContext").path("http").path("method").asText()
                    : event.path("httpMethod").asText();
            String path = v2 ? event.path("rawPath").asText() : event.path("path").asText();
            String stage = event.path("requestContext").path("stage").asText("$default");
            if (!stage.equals("$default") && path.startsWith("/" + stage + "/")) {
                path = path.substring(stage.length() + 1);
            }
            if (path.length() > 1 && path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            Map<String, String> headers = headers(event);
            return new Request(method, path, headers, bytes(event));
        }

        static Response response(JsonNode proxy) {
            byte[] body = bytes(proxy);
            JsonNode json;
            try {
                json = body.length == 0 ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
                        : STRICT.readTree(body);
            } catch (Exception e) {
                json = TextNode.valueOf(new String(body, StandardCharsets.UTF_8));
            }
            return new Response(proxy.path("statusCode").asInt(), headers(proxy), body, json);
        }

        /**
         * {@code headers}, then each {@code multiValueHeaders} entry not already given; a header given more than once
         * there is its values joined with commas, as HTTP combines a repeated field (RFC 9110, 5.3).
         */
        private static Map<String, String> headers(JsonNode message) {
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            message.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
            message.path("multiValueHeaders").fields().forEachRemaining(e -> {
                if (e.getValue().isArray() && e.getValue().size() > 1) {
                    List<String> values = new ArrayList<>();
                    e.getValue().forEach(v -> values.add(v.asText()));
                    headers.put(e.getKey(), String.join(",", values));
                } else if (e.getValue().isArray() && !e.getValue().isEmpty()) {
                    headers.putIfAbsent(e.getKey(), e.getValue().get(0).asText());
                }
            });
            return headers;
        }

        private static byte[] bytes(JsonNode message) {
            JsonNode body = message.path("body");
            if (!body.isTextual()) {
                return new byte[0];
            }
            if (message.path("isBase64Encoded").asBoolean(false)) {
                try {
                    return Base64.getDecoder().decode(body.asText());
                } catch (IllegalArgumentException e) {
                    return new byte[0];
                }
            }
            return body.asText().getBytes(StandardCharsets.UTF_8);
        }
    }
}
