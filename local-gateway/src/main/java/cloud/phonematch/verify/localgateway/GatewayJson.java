package cloud.phonematch.verify.localgateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The local HTTP API's JSON: events and API Gateway's own answers built as trees, the function's output read. */
final class GatewayJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private GatewayJson() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static byte[] bytes(ObjectNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not serialize a JSON tree", e);
        }
    }
}
