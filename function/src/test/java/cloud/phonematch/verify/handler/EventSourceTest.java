package cloud.phonematch.verify.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.support.Events;

/**
 * The kind of an event, from its shape alone. A top-level {@code name} or {@code mobile} makes it a direct call
 * whatever else it carries: API Gateway never puts those at the top level, and a Step Functions state passes
 * its whole input through.
 */
class EventSourceTest {
    private static final String BODY = "{\"name\":\"n\",\"mobile\":\"m\"}";

    @Test
    void apiGatewayEventsAreRecognisedByTheirShape() {
        assertEquals(EventSource.HTTP_V2, of(Events.httpV2("POST", "/verifications", BODY, Map.of())));
        assertEquals(EventSource.HTTP_V2, of(Events.httpV2("POST", "/verifications", BODY, Map.of(), true)));
        assertEquals(EventSource.HTTP_V2, of(Events.httpV2("GET", "/other", null, Map.of())));
        assertEquals(EventSource.HTTP_V1, of(Events.httpV1("POST", "/verifications", BODY, Map.of())));
        assertEquals(EventSource.HTTP_V1, of(Events.httpV1("GET", "/verifications", null, Map.of())));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"Records\":[{\"eventSource\":\"aws:s3\",\"s3\":{\"bucket\":{\"name\":\"b\"}}}]}",
            "{\"Records\":[{\"eventSource\":\"aws:sqs\",\"body\":\"{}\",\"messageId\":\"1\"}]}",
            "{\"source\":\"aws.events\",\"detail-type\":\"Scheduled Event\",\"detail\":{}}",
            "{\"source\":\"aws.s3\",\"detail\":{}}",
            "{\"detail-type\":\"Order Placed\",\"source\":\"com.example\",\"detail\":{}}",
            "{\"requestContext\":{\"routeKey\":\"$connect\",\"eventType\":\"CONNECT\"}}",
            "{\"routeKey\":\"$default\",\"rawPath\":\"/\"}" })
    void otherAwsEventsWithoutNameOrMobileAreUnknown(String event) {
        assertEquals(EventSource.UNKNOWN, of(event));
    }

    @ParameterizedTest
    @ValueSource(strings = { "[]", "\"hello\"", "42", "null" })
    void anythingButAnObjectIsUnknown(String event) {
        assertEquals(EventSource.UNKNOWN, of(event));
        assertEquals(EventSource.UNKNOWN, EventSource.of(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "\"source\":\"aws.something\"",
            "\"Records\":[{\"eventSource\":\"aws:sqs\"}]",
            "\"requestContext\":{\"requestId\":\"r\"}",
            "\"detail-type\":\"Order Placed\"",
            "\"routeKey\":\"POST /verifications\"" })
    void aRequestWithAnUnrelatedAwsLookingFieldIsDirect(String extra) {
        assertEquals(EventSource.DIRECT, of("{\"name\":\"n\",\"mobile\":\"m\"," + extra + "}"));
        assertEquals(EventSource.DIRECT, of("{\"name\":\"n\"," + extra + "}"), "name alone is enough");
        assertEquals(EventSource.DIRECT, of("{" + extra + ",\"mobile\":\"m\"}"), "mobile alone is enough");
    }

    @ParameterizedTest
    @ValueSource(strings = { "{}", "{\"correlation_id\":\"c\"}", "{\"name\":null}", "{\"mobile\":1}" })
    void otherObjectsAreDirect(String event) {
        assertEquals(EventSource.DIRECT, of(event));
    }

    private static EventSource of(String event) {
        try {
            JsonNode node = Json.STRICT_READER.readTree(event);
            return EventSource.of(node);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
