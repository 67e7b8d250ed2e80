package cloud.phonematch.verify.handler;

import static cloud.phonematch.verify.support.TestPeople.MOBILE;
import static cloud.phonematch.verify.support.TestPeople.NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.output.InvalidRequestException;
import cloud.phonematch.verify.support.ApiStubs;
import cloud.phonematch.verify.support.Events;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Fakes;
import cloud.phonematch.verify.support.Lambda;
import cloud.phonematch.verify.support.SecretsManagerStubs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A request in another encoding than UTF-8 (a GBK-encoded body, say) is refused as {@code INVALID_ENCODING} before
 * anything is sent, however it arrives: its bytes base64-encoded, or decoded by API Gateway with U+FFFD where they
 * were not UTF-8. Without this the garbled name would be answered {@code INVALID_NAME}.
 */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
class RequestEncodingTest {
    private static final Map<String, String> JSON = Map.of("content-type", "application/json");
    private static final byte[] GBK_BODY = Events.body(NAME, MOBILE).getBytes(Charset.forName("GBK"));
    private static final String BODY_NOT_UTF8 = "the request body must be UTF-8 JSON; it has bytes that are not UTF-8";
    private static final String BODY_WITH_REPLACEMENT = "the request body must be UTF-8 JSON; it holds U+FFFD, which"
            + " stands for bytes that were not UTF-8";

    @BeforeEach
    void reset() {
        Fakes.reset();
        ApiStubs.answer(ApiStubs.result("0"));
    }

    @Test
    void aGbkBodyDecodedByApiGatewayIsInvalidEncoding() {
        // What API Gateway passes on for a JSON body it cannot decode as UTF-8.
        String decoded = new String(GBK_BODY, StandardCharsets.UTF_8);

        Lambda.HttpReply v2 = Lambda.http(Events.httpV2("POST", "/verifications", decoded, JSON));
        Lambda.HttpReply v1 = Lambda.http(Events.httpV1("POST", "/verifications", decoded, JSON));

        for (Lambda.HttpReply reply : new Lambda.HttpReply[] { v2, v1 }) {
            assertRefused(reply, BODY_WITH_REPLACEMENT);
        }
    }

    @Test
    void aBase64BodyWhoseBytesAreNotUtf8IsInvalidEncoding() {
        Lambda.HttpReply reply = Lambda.http(Events.httpV2Base64("POST", "/verifications", GBK_BODY,
                Map.of("content-type", "application/octet-stream")));

        assertRefused(reply, BODY_NOT_UTF8);
    }

    /** Sequences Java's strict decoder refuses: cut off, an encoded surrogate, an overlong slash, a stray byte. */
    @ParameterizedTest
    @ValueSource(strings = { "e5bc", "eda080", "c0af", "ff" })
    void anyBytesThatAreNotUtf8AreRefusedAsSuch(String hex) {
        byte[] head = "{\"name\":\"".getBytes(StandardCharsets.UTF_8);
        byte[] bad = java.util.HexFormat.of().parseHex(hex);
        byte[] tail = ("\",\"mobile\":\"" + MOBILE + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + bad.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(bad, 0, body, head.length, bad.length);
        System.arraycopy(tail, 0, body, head.length + bad.length, tail.length);

        assertRefused(Lambda.http(Events.httpV2Base64("POST", "/verifications", body, JSON)), BODY_NOT_UTF8);
    }

    @Test
    void aUtf8BodyThatIsBase64EncodedIsStillVerified() {
        Lambda.HttpReply reply = Lambda.http(Events.httpV2Base64("POST", "/verifications",
                Events.body(NAME, MOBILE).getBytes(StandardCharsets.UTF_8), JSON));

        assertEquals(200, reply.statusCode());
        assertEquals("CONSISTENT", reply.body().path("status").asText());
    }

    @Test
    void aDirectEventWhoseBytesAreNotUtf8IsInvalidEncoding() {
        Lambda.FunctionError failure = Lambda.directFailure(GBK_BODY);

        assertEquals(InvalidRequestException.class.getName(), failure.errorType());
        assertError(failure.error(), "the event must be UTF-8 JSON; it has bytes that are not UTF-8");
        assertNothingSent();
    }

    @ParameterizedTest
    @ValueSource(strings = { "name", "mobile" })
    void aDirectFieldHoldingTheReplacementCharacterIsInvalidEncoding(String field) {
        String garbled = new String(Events.body(NAME, MOBILE).getBytes(Charset.forName("GBK")),
                StandardCharsets.UTF_8);
        String event = field.equals("name") ? garbled
                : Events.direct(NAME, MOBILE.substring(0, 10) + '\uFFFD');

        Lambda.FunctionError failure = Lambda.directFailure(event);

        assertEquals(InvalidRequestException.class.getName(), failure.errorType());
        assertError(failure.error(), "the request must be UTF-8 JSON; field '" + field
                + "' holds U+FFFD, which stands for bytes that were not UTF-8");
        assertNothingSent();
    }

    private static void assertRefused(Lambda.HttpReply reply, String message) {
        assertEquals(400, reply.statusCode());
        assertError(reply.body().path("error"), message);
        assertFalse(reply.body().toString().contains(MOBILE), "no input echoed");
        assertNothingSent();
    }

    private static void assertError(JsonNode error, String message) {
        assertEquals("INVALID_ENCODING", error.path("type").asText());
        assertEquals(message, error.path("message").asText());
        assertFalse(error.path("retryable").asBoolean(true));
    }

    private static void assertNothingSent() {
        assertEquals(0, ApiStubs.calls().size());
        assertEquals(0, SecretsManagerStubs.calls());
    }
}
