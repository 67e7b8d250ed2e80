package cloud.phonematch.verify.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import cloud.phonematch.verify.support.TestPeople;

/** The strict reader refuses a repeated key at any depth; the lenient re-read tells that apart from bad JSON. */
class JsonTest {

    @ParameterizedTest
    @ValueSource(strings = { "{\"a\":1,\"a\":2}", "{\"a\":1,\"b\":{\"c\":1,\"c\":1}}", "[{\"a\":1,\"a\":1}]" })
    void strictReaderRefusesARepeatedKeyAnywhere(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);

        assertThrows(IOException.class, () -> Json.STRICT_READER.readTree(bytes));
        assertTrue(Json.readAllowingDuplicateKeys(bytes).isPresent(), "the repeated key is the only fault");
    }

    @Test
    void lenientReadKeepsTheLastValueAndIsEmptyForBrokenJson() {
        assertEquals(2, Json.readAllowingDuplicateKeys("{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8))
                .orElseThrow().path("a").asInt());
        assertTrue(Json.readAllowingDuplicateKeys("{\"a\":1,\"a\":".getBytes(StandardCharsets.UTF_8)).isEmpty());
        assertTrue(Json.readAllowingDuplicateKeys("not json".getBytes(StandardCharsets.UTF_8)).isEmpty());
    }

    @Test
    void strictReaderReadsTheSameKeyInSeparateObjects() throws IOException {
        assertEquals(2, Json.STRICT_READER.readTree("{\"a\":{\"id\":1},\"b\":{\"id\":2}}").path("b").path("id")
                .asInt());
    }

    @Test
    void utf8IsTheTextOfUtf8BytesAndEmptyForAnyOtherBytes() {
        String request = "{\"name\":\"" + TestPeople.NAME + "\"}";
        assertEquals(Optional.of(request), Json.utf8(request.getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.empty(), Json.utf8(request.getBytes(Charset.forName("GBK"))));
        for (String hex : List.of("e5bc", "eda080", "c0af", "ff", "f4908080")) {
            assertEquals(Optional.empty(), Json.utf8(HexFormat.of().parseHex(hex)), hex);
        }
        assertEquals(Optional.of(""), Json.utf8(new byte[0]));
    }
}
