package cloud.phonematch.verify.localgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.handler.EventSource;
import cloud.phonematch.verify.json.Json;

/** A request becomes the event an HTTP API (payload format 2.0, $default stage) sends, field by field. */
class HttpApiEventsTest {
    private static final Instant AT = Instant.parse("2025-03-10T08:30:00.123Z");
    private static final byte[] JSON_BODY = "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8);

    private static GatewayRequest request(String method, String path, String query, List<Map.Entry<String, String>> headers,
            byte[] body) {
        return new GatewayRequest(method, path, query, "HTTP/1.1", "192.0.2.10", 3000, headers, body);
    }

    private static JsonNode event(GatewayRequest request) {
        return HttpApiEvents.from(request, "JKJaXmPLvHcESHA=", AT);
    }

    @Test
    void aPostToTheRouteIsAPayload2EventTheFunctionRecognises() {
        JsonNode event = event(request("POST", "/verifications", "", List.of(
                Map.entry("Host", "localhost:3000"), Map.entry("Content-Type", "application/json"),
                Map.entry("User-Agent", "curl/8.5.0"), Map.entry("X-Request-Id", "order-7781")), JSON_BODY));

        assertEquals("2.0", event.path("version").asText());
        assertEquals("ANY /verifications", event.path("routeKey").asText());
        assertEquals("/verifications", event.path("rawPath").asText());
        assertEquals("", event.path("rawQueryString").asText());
        assertEquals("{\"name\":\"x\"}", event.path("body").asText());
        assertFalse(event.path("isBase64Encoded").asBoolean(true));
        assertFalse(event.has("cookies"));
        assertFalse(event.has("queryStringParameters"));
        assertEquals("order-7781", event.path("headers").path("x-request-id").asText());
        assertEquals("application/json", event.path("headers").path("content-type").asText());
        assertEquals(EventSource.HTTP_V2, EventSource.of(event));

        JsonNode context = event.path("requestContext");
        assertEquals("123456789012", context.path("accountId").asText());
        assertEquals("local", context.path("apiId").asText());
        assertEquals("localhost", context.path("domainName").asText(), "the host without its port");
        assertEquals("localhost", context.path("domainPrefix").asText());
        assertEquals("POST", context.path("http").path("method").asText());
        assertEquals("/verifications", context.path("http").path("path").asText());
        assertEquals("HTTP/1.1", context.path("http").path("protocol").asText());
        assertEquals("192.0.2.10", context.path("http").path("sourceIp").asText());
        assertEquals("curl/8.5.0", context.path("http").path("userAgent").asText());
        assertEquals("JKJaXmPLvHcESHA=", context.path("requestId").asText());
        assertEquals("ANY /verifications", context.path("routeKey").asText());
        assertEquals("$default", context.path("stage").asText());
        assertEquals("10/Mar/2025:08:30:00 +0000", context.path("time").asText());
        assertEquals(AT.toEpochMilli(), context.path("timeEpoch").asLong());
    }

    @Test
    void headerNamesAreLowerCaseAndRepeatedHeadersJoinedWithCommas() {
        JsonNode headers = event(request("POST", "/verifications", "", List.of(Map.entry("Accept", "text/plain"),
                Map.entry("X-Custom", "one"), Map.entry("ACCEPT", "application/json"), Map.entry("x-custom", "two")),
                JSON_BODY)).path("headers");

        assertEquals("text/plain,application/json", headers.path("accept").asText());
        assertEquals("one,two", headers.path("x-custom").asText());
        assertFalse(headers.has("Accept"));
    }

    @Test
    void addsTheHeadersApiGatewayAdds() {
        JsonNode headers = event(request("POST", "/verifications", "", List.of(), JSON_BODY)).path("headers");

        assertEquals("192.0.2.10", headers.path("x-forwarded-for").asText());
        assertEquals("3000", headers.path("x-forwarded-port").asText());
        assertEquals("http", headers.path("x-forwarded-proto").asText());
        assertTrue(headers.path("x-amzn-trace-id").asText().matches("Root=1-[0-9a-f]{8}-[0-9a-f]{24}"),
                headers.path("x-amzn-trace-id").asText());
        assertTrue(headers.path("x-amzn-trace-id").asText().startsWith("Root=1-" + Long.toHexString(AT.getEpochSecond())));
    }

    @Test
    void aForwardedForFromTheClientGetsTheClientsAddressAppended() {
        JsonNode headers = event(request("POST", "/verifications", "",
                List.of(Map.entry("X-Forwarded-For", "203.0.113.7")), JSON_BODY)).path("headers");

        assertEquals("203.0.113.7, 192.0.2.10", headers.path("x-forwarded-for").asText());
    }

    @Test
    void cookiesMoveFromTheHeaderToTheirOwnArray() {
        JsonNode event = event(request("POST", "/verifications", "",
                List.of(Map.entry("Cookie", "a=1; b=2"), Map.entry("cookie", "c=3")), JSON_BODY));

        assertEquals(List.of("a=1", "b=2", "c=3"),
                Json.MAPPER.convertValue(event.path("cookies"), List.class));
        assertFalse(event.path("headers").has("cookie"));
    }

    @Test
    void theQueryIsGivenRawAndParsedWithRepeatedParametersJoined() {
        JsonNode event = event(request("GET", "/verifications", "a=1&a=2&b=x%20y&flag", List.of(), new byte[0]));

        assertEquals("a=1&a=2&b=x%20y&flag", event.path("rawQueryString").asText());
        JsonNode parameters = event.path("queryStringParameters");
        assertEquals("1,2", parameters.path("a").asText());
        assertEquals("x y", parameters.path("b").asText());
        assertEquals("", parameters.path("flag").asText());
    }

    @Test
    void anotherPathGoesThroughTheDefaultRoute() {
        JsonNode event = event(request("GET", "/verifications/42", "", List.of(), new byte[0]));

        assertEquals("$default", event.path("routeKey").asText());
        assertEquals("$default", event.path("requestContext").path("routeKey").asText());
        assertEquals("/verifications/42", event.path("rawPath").asText());
    }

    @Test
    void aRequestWithoutABodyHasNoBodyField() {
        JsonNode event = event(request("GET", "/verifications", "", List.of(), new byte[0]));

        assertFalse(event.has("body"));
        assertFalse(event.path("isBase64Encoded").asBoolean(true));
    }

    @ParameterizedTest(name = "{0} -> base64 {1}")
    @CsvSource({ "application/json, false", "application/json; charset=utf-8, false", "Application/JSON, false",
            "application/problem+json, false", "text/plain, false", "application/xml, false",
            "application/octet-stream, true", "application/x-www-form-urlencoded, true", "image/png, true",
            "'', true" })
    void aBodyThatIsNotTextIsBase64Encoded(String contentType, boolean base64) {
        List<Map.Entry<String, String>> headers = contentType.isEmpty() ? List.of()
                : List.of(Map.entry("Content-Type", contentType));

        JsonNode event = event(request("POST", "/verifications", "", headers, JSON_BODY));

        assertEquals(base64, event.path("isBase64Encoded").asBoolean());
        String body = event.path("body").asText();
        assertEquals("{\"name\":\"x\"}",
                base64 ? new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8) : body);
    }
}
