package cloud.phonematch.verify.localgateway;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The event an HTTP API with payload format 2.0 sends to its Lambda integration for a request: header names in
 * lower case with repeated headers joined by commas, the {@code Cookie} header moved to {@code cookies}, the query
 * both raw and parsed (repeated parameters joined by commas), a non-text body base64-encoded, and the request
 * context of the {@code $default} stage. The routes are the deployed ones: {@code ANY /verifications}, and
 * {@code $default} for every other path, both to the function.
 */
final class HttpApiEvents {
    static final String ROUTE_PATH = "/verifications";
    static final String ROUTE_KEY = "ANY " + ROUTE_PATH;
    static final String DEFAULT_ROUTE_KEY = "$default";
    /** Locally there is no account or API; these stand in for them. */
    static final String ACCOUNT_ID = "123456789012";
    static final String API_ID = "local";
    /** API Gateway's {@code requestContext.time}: {@code 10/Mar/2025:08:30:00 +0000}. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private HttpApiEvents() {
    }

    /**
     * @param requestId the request's {@code apigw-requestid}
     * @param receivedAt when the request arrived
     */
    static ObjectNode from(GatewayRequest request, String requestId, Instant receivedAt) {
        String routeKey = ROUTE_PATH.equals(request.rawPath()) ? ROUTE_KEY : DEFAULT_ROUTE_KEY;
        ObjectNode event = GatewayJson.object();
        event.put("version", "2.0");
        event.put("routeKey", routeKey);
        event.put("rawPath", request.rawPath());
        event.put("rawQueryString", request.rawQueryString());
        List<String> cookies = cookies(request);
        if (!cookies.isEmpty()) {
            ArrayNode array = event.putArray("cookies");
            cookies.forEach(array::add);
        }
        ObjectNode headers = event.putObject("headers");
        headers(request, receivedAt).forEach(headers::put);
        if (!request.rawQueryString().isEmpty()) {
            ObjectNode parameters = event.putObject("queryStringParameters");
            queryParameters(request.rawQueryString()).forEach(parameters::put);
        }
        event.set("requestContext", requestContext(request, requestId, routeKey, receivedAt));
        boolean base64 = request.body().length > 0 && !MediaTypes.isText(request.mediaType());
        if (request.body().length > 0) {
            event.put("body", base64 ? Base64.getEncoder().encodeToString(request.body())
                    : new String(request.body(), StandardCharsets.UTF_8));
        }
        event.put("isBase64Encoded", base64);
        return event;
    }

    /** Lower-case names, repeated headers joined by commas, plus the headers API Gateway adds. */
    private static Map<String, String> headers(GatewayRequest request, Instant receivedAt) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : request.headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!name.equals("cookie")) {
                headers.merge(name, header.getValue(), (earlier, later) -> earlier + "," + later);
            }
        }
        headers.merge("x-forwarded-for", request.sourceIp(), (earlier, client) -> earlier + ", " + client);
        headers.put("x-forwarded-port", Integer.toString(request.localPort()));
        headers.put("x-forwarded-proto", "http");
        headers.putIfAbsent("x-amzn-trace-id", RequestIds.traceId(receivedAt));
        return headers;
    }

    private static List<String> cookies(GatewayRequest request) {
        List<String> cookies = new ArrayList<>();
        for (Map.Entry<String, String> header : request.headers()) {
            if (header.getKey().equalsIgnoreCase("cookie")) {
                for (String cookie : header.getValue().split(";")) {
                    if (!cookie.isBlank()) {
                        cookies.add(cookie.strip());
                    }
                }
            }
        }
        return cookies;
    }

    private static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] nameValue = pair.split("=", 2);
            parameters.merge(decode(nameValue[0]), nameValue.length > 1 ? decode(nameValue[1]) : "",
                    (earlier, later) -> earlier + "," + later);
        }
        return parameters;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // a stray '%': kept as sent
        }
    }

    private static ObjectNode requestContext(GatewayRequest request, String requestId, String routeKey,
            Instant receivedAt) {
        String domainName = request.header("host").map(h -> h.replaceFirst(":\\d+$", "")).orElse("localhost");
        ObjectNode context = GatewayJson.object();
        context.put("accountId", ACCOUNT_ID);
        context.put("apiId", API_ID);
        context.put("domainName", domainName);
        context.put("domainPrefix", domainName.split("\\.", 2)[0]);
        ObjectNode http = context.putObject("http");
        http.put("method", request.method());
        http.put("path", request.rawPath());
        http.put("protocol", request.protocol());
        http.put("sourceIp", request.sourceIp());
        http.put("userAgent", request.header("user-agent").orElse(""));
        context.put("requestId", requestId);
        context.put("routeKey", routeKey);
        context.put("stage", "$default");
        context.put("time", TIME.format(receivedAt));
        context.put("timeEpoch", receivedAt.toEpochMilli());
        return context;
    }
}
