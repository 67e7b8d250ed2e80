package cloud.phonematch.verify.localgateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The function's response, as an HTTP API with payload format 2.0 turns it into an HTTP response. */
class ProxyResponsesTest {

    private static GatewayResponse map(String functionOutput) {
        return ProxyResponses.toHttp(functionOutput.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void statusHeadersAndBodyAreTheFunctions() {
        GatewayResponse response = map("{\"statusCode\":405,\"headers\":{\"Content-Type\":\"application/json; charset=utf-8\","
                + "\"Allow\":\"POST\",\"Retry-After\":\"30\"},\"body\":\"{\\\"error\\\":{}}\",\"isBase64Encoded\":false}");

        assertEquals(405, response.status());
        assertEquals(List.of(Map.entry("Content-Type", "application/json; charset=utf-8"), Map.entry("Allow", "POST"),
                Map.entry("Retry-After", "30")), response.headers());
        assertEquals("{\"error\":{}}", response.bodyText());
    }

    @Test
    void aBase64BodyIsDecoded() {
        GatewayResponse response = map("{\"statusCode\":200,\"headers\":{\"content-type\":\"image/png\"},"
                + "\"body\":\"AAEC/w==\",\"isBase64Encoded\":true}");

        assertArrayEquals(new byte[] { 0, 1, 2, (byte) 0xff }, response.body());
    }

    @Test
    void withoutAContentTypeTheResponseIsJson() {
        GatewayResponse response = map("{\"statusCode\":201,\"body\":\"{}\"}");

        assertEquals(201, response.status());
        assertEquals(Optional.of("application/json"), response.header("Content-Type"));
    }

    @Test
    void eachCookieBecomesASetCookieHeader() {
        GatewayResponse response = map("{\"statusCode\":200,\"cookies\":[\"a=1; Path=/\",\"b=2\"],\"body\":\"\"}");

        assertEquals(List.of("a=1; Path=/", "b=2"), response.headers().stream()
                .filter(h -> h.getKey().equals("set-cookie")).map(Map.Entry::getValue).toList());
    }

    @Test
    void jsonWithoutAStatusCodeIsAnsweredAs200Json() {
        GatewayResponse response = map("{\"status\":\"CONSISTENT\"}");

        assertEquals(200, response.status());
        assertEquals(Optional.of("application/json"), response.header("content-type"));
        assertEquals("{\"status\":\"CONSISTENT\"}", response.bodyText());
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "not json", "{\"statusCode\":\"200\"}", "{\"statusCode\":2000}",
            "{\"statusCode\":200.5}", "{\"statusCode\":200,\"body\":\"%%%\",\"isBase64Encoded\":true}" })
    void anUnusableResponseIsApiGatewaysInternalServerError(String output) {
        GatewayResponse response = map(output);

        assertEquals(500, response.status());
        assertEquals("{\"message\":\"Internal Server Error\"}", response.bodyText());
        assertEquals(Optional.of("application/json"), response.header("content-type"));
    }
}
