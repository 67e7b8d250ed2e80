package cloud.phonematch.verify.support;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import cloud.phonematch.verify.crypto.PrivateKeyMaterial;
import cloud.phonematch.verify.crypto.TestDecryptor;
import cloud.phonematch.verify.json.Json;

/**
 * The verification API as a provider that holds the private key: it decrypts what the function sent (with
 * the test's own decryptor, not the function's code) and answers by the plaintext — result 0 when the name
 * and number are the expected ones, 1 otherwise — or 400 {@code bad_request} when the envelope does not
 * open. So a test proves the round trip, not just that some base64 went out.
 */
public class DecryptingApi implements ResponseDefinitionTransformerV2 {
    public static final String NAME = "decrypting-api";

    private static volatile PrivateKeyMaterial key;
    private static volatile String expectedName;
    private static volatile String expectedMobile;

    /** What the fake holds for the next requests. */
    public static void expect(PrivateKeyMaterial privateKey, String name, String mobile) {
        key = privateKey;
        expectedName = name;
        expectedMobile = mobile;
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        try {
            JsonNode body = Json.MAPPER.readTree(serveEvent.getRequest().getBodyAsString());
            if (!TestDecryptor.isEncrypted(body)) {
                return answer(400, "{\"error\":{\"code\":\"bad_request\",\"message\":\"expected encryption\"}}");
            }
            Map<String, String> plain = TestDecryptor.decrypt(body, key);
            boolean match = expectedName.equals(plain.get("name")) && expectedMobile.equals(plain.get("mobile"));
            return answer(200, "{\"result\":\"" + (match ? "0" : "1") + "\",\"trace_id\":\"decrypted\"}");
        } catch (Exception e) {
            return answer(400, "{\"error\":{\"code\":\"bad_request\",\"message\":\"cannot decrypt\"}}");
        }
    }

    private static ResponseDefinition answer(int status, String body) {
        return new ResponseDefinitionBuilder().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body).build();
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }
}
