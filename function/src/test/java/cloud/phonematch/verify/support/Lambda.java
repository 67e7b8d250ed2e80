package cloud.phonematch.verify.support;

import static io.restassured.RestAssured.given;

import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.json.Json;
import io.restassured.response.Response;

/**
 * Invokes the function through Quarkus's mock Lambda event server, the way the Lambda runtime would, and
 * checks every output against the published JSON Schema before a test sees it, and every API Gateway exchange
 * against openapi.yaml.
 */
public final class Lambda {
    private Lambda() {
    }

    /** A direct invocation that answered: the outcome object. */
    public static JsonNode direct(String event) {
        Response r = send(event);
        if (r.statusCode() != 200) {
            throw new AssertionError("expected an answer, got " + r.statusCode() + ": " + r.asString());
        }
        return OutputSchema.requireValid(parse(r.asString()));
    }

    /** A direct invocation that failed: what Lambda reports to Step Functions. */
    public static FunctionError directFailure(String event) {
        return functionError(send(event));
    }

    private static FunctionError functionError(Response r) {
        if (r.statusCode() != 500) {
            throw new AssertionError("expected a function error, got " + r.statusCode() + ": " + r.asString());
        }
        JsonNode error = parse(r.asString());
        JsonNode message = OutputSchema.requireValid(parse(error.path("errorMessage").asText()));
        return new FunctionError(error.path("errorType").asText(), message);
    }

    /** A direct invocation with an event of these bytes, as sent, that failed. */
    public static FunctionError directFailure(byte[] event) {
        Response r = given().contentType("application/json")
                .header("Lambda-Runtime-Aws-Request-Id", "req-" + UUID.randomUUID()).body(event).post();
        return functionError(r);
    }

    /** An API Gateway invocation: the proxy response, with its body parsed and checked. */
    public static HttpReply http(String event) {
        Response r = send(event);
        if (r.statusCode() != 200) {
            throw new AssertionError("API Gateway events always answer; got " + r.statusCode() + ": " + r.asString());
        }
        JsonNode proxy = parse(r.asString());
        OpenApiContract.requireValid(parse(event), proxy);
        JsonNode body = OutputSchema.requireValid(parse(proxy.path("body").asText()));
        return new HttpReply(proxy.path("statusCode").asInt(), proxy.path("headers"), body,
                proxy.path("isBase64Encoded").asBoolean(true));
    }

    public static Response send(String event) {
        return given().contentType("application/json")
                .header("Lambda-Runtime-Aws-Request-Id", "req-" + UUID.randomUUID())
                .body(event)
                .post();
    }

    private static JsonNode parse(String s) {
        try {
            return Json.MAPPER.readTree(s);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }

    public record FunctionError(String errorType, JsonNode body) {
        public JsonNode error() {
            return body.path("error");
        }
    }

    public record HttpReply(int statusCode, JsonNode headers, JsonNode body, boolean base64) {
        public String header(String name) {
            return headers.path(name).isMissingNode() ? null : headers.path(name).asText();
        }
    }
}
