package bench.springpeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The local checks: refused inputs answer INVALID_REQUEST before any client is used (none is given here). */
class VerifyFunctionTest {

    private final VerifyFunction function = new VerifyFunction(null, null, null, "unused");

    @Test
    void normalizesSeparatorsAndTheCountryPrefix() {
        assertEquals("13912345670", VerifyFunction.normalizeMobile("+86 139-1234-5670"));
        assertEquals("13912345670", VerifyFunction.normalizeMobile("13912345670"));
        assertNull(VerifyFunction.normalizeMobile("12912345670"));
        assertNull(VerifyFunction.normalizeMobile("1391234567"));
        assertNull(VerifyFunction.normalizeMobile("+8613912345670x"));
        assertNull(VerifyFunction.normalizeMobile(null));
    }

    @Test
    void masksTheMiddleDigits() {
        assertEquals("139****5670", VerifyFunction.mask("13912345670"));
    }

    @Test
    void refusesBadInputWithoutCallingAnything() {
        assertEquals("INVALID_REQUEST", type(function.apply(new VerifyFunction.Request(" ", "13912345670"))));
        assertEquals("INVALID_REQUEST", type(function.apply(new VerifyFunction.Request("x".repeat(65), "13912345670"))));
        assertEquals("INVALID_REQUEST", type(function.apply(new VerifyFunction.Request("张三丰", "12345"))));
        assertEquals("INVALID_REQUEST", type(function.apply(new VerifyFunction.Request(null, null))));
        assertEquals("INVALID_REQUEST", type(function.apply(null)));
    }

    @SuppressWarnings("unchecked")
    private static String type(Map<String, Object> answer) {
        return (String) ((Map<String, Object>) answer.get("error")).get("type");
    }
}
