package cloud.phonematch.verify.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.phonematch.verify.json.Json;

/** Builds the events the function receives, in the shapes API Gateway and Step Functions send. */
public final class Events {
    private Events() {
    }

    public static String direct(String name, String mobile) {
        ObjectNode e = Json.object();
        e.put("name", name);
        e.put("mobile", mobile);
        return Json.write(e);
    }

    public static String body(String name, String mobile) {
        return direct(name, mobile);
    }

    public static String httpV2(String method, String path, String body, Map<String, String> headers) {
        return httpV2(method, path, body, headers, false);
    }

    public static String httpV2(String method, String path, String body, Map<String, String> headers,
            boolean base64) {
        ObjectNode e = Json.object();
        e.put("version", "2.0");
        e.put("routeKey", method + " " + path);
        e.put("rawPath", path);
        e.put("rawQueryString", "");
        ObjectNode h = e.putObject("headers");
        headers.forEach(h::put);
        ObjectNode ctx = e.putObject("requestContext");
        ctx.put("accountId", "123456789012");
        ctx.put("apiId", "abcdef1234");
        ctx.put("domainName", "abcdef1234.execute-api.cn-north-1.amazonaws.com.cn");
        ctx.put("requestId", "apigw-" + System.nanoTime());
        ctx.put("stage", "$default");
        ObjectNode http = ctx.putObject("http");
        http.put("method", method);
        http.put("path", path);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", "192.0.2.10");
        if (body != null) {
            e.put("body", base64 ? Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)) : body);
        }
        e.put("isBase64Encoded", base64);
        return Json.write(e);
    }

    /** An HTTP API 2.0 event whose body is these bytes, base64-encoded as API Gateway sends a non-text body. */
    public static String httpV2Base64(String method, String path, byte[] body, Map<String, String> headers) {
        ObjectNode e = (ObjectNode) Json.parseObject(httpV2(method, path, (String) null, headers)).orElseThrow();
        e.put("body", Base64.getEncoder().encodeToString(body));
        e.put("isBase64Encoded", true);
        return Json.write(e);
    }

    public static String httpV1(String method, String path, String body, Map<String, String> headers) {
        ObjectNode e = Json.object();
        e.put("resource", path);
        e.put("path", path);
        e.put("httpMethod", method);
        ObjectNode h = e.putObject("headers");
        headers.forEach(h::put);
        ObjectNode mv = e.putObject("multiValueHeaders");
        headers.forEach((k, v) -> mv.putArray(k).add(v));
        ObjectNode ctx = e.putObject("requestContext");
        ctx.put("resourcePath", path);
        ctx.put("httpMethod", method);
        ctx.put("stage", "prod");
        ctx.put("path", "/prod" + path);
        ctx.put("requestId", "apigw-" + System.nanoTime());
        if (body != null) {
            e.put("body", body);
        }
        e.put("isBase64Encoded", false);
        return Json.write(e);
    }

    /**
     * The event with a header given more than once, as API Gateway passes it on: an HTTP API (2.0) joins the values
     * with commas; a REST API (1.0) lists them in {@code multiValueHeaders} and keeps the last in {@code headers}.
     */
    public static String withRepeatedHeader(String event, String name, List<String> values) {
        ObjectNode e = (ObjectNode) Json.parseObject(event).orElseThrow();
        if ("2.0".equals(e.path("version").asText())) {
            ((ObjectNode) e.path("headers")).put(name, String.join(",", values));
        } else {
            ((ObjectNode) e.path("headers")).put(name, values.get(values.size() - 1));
            values.forEach(((ObjectNode) e.path("multiValueHeaders")).putArray(name)::add);
        }
        return Json.write(e);
    }

    /** The event as API Gateway passes it on after IAM authorization of {@code userArn}. */
    public static String signedBy(String userArn, String event) {
        ObjectNode e = (ObjectNode) Json.parseObject(event).orElseThrow();
        ((ObjectNode) e.path("requestContext")).putObject("authorizer").putObject("iam").put("userArn", userArn)
                .put("accountId", "111122223333");
        return Json.write(e);
    }

    /** An HTTP API 2.0 event as API Gateway passes it on from an unauthenticated client at {@code sourceIp}. */
    public static String fromAddress(String sourceIp, String event) {
        ObjectNode e = (ObjectNode) Json.parseObject(event).orElseThrow();
        ((ObjectNode) e.path("requestContext").path("http")).put("sourceIp", sourceIp);
        return Json.write(e);
    }
}
