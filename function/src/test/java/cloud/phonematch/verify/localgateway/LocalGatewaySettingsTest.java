package cloud.phonematch.verify.localgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The local HTTP API's settings: the deployed stack's defaults, overridable, and refused when they make no sense. */
class LocalGatewaySettingsTest {

    private static LocalGatewaySettings from(Map<String, String> properties) {
        return LocalGatewaySettings.from(name -> Optional.ofNullable(properties.get(name)));
    }

    @Test
    void defaultsAreTheDeployedStacks() {
        LocalGatewaySettings settings = from(Map.of());

        assertTrue(settings.enabled());
        assertEquals("127.0.0.1", settings.host(), "loopback: it has no authorization");
        assertEquals(3000, settings.port(), "the port sam local start-api uses");
        assertEquals(10.0, settings.rateLimit(), "template parameter ThrottleRateLimit");
        assertEquals(20, settings.burstLimit(), "template parameter ThrottleBurstLimit");
        assertEquals(Duration.ofSeconds(10), settings.functionTimeout(), "template parameter Timeout");
    }

    @Test
    void everySettingCanBeChanged() {
        LocalGatewaySettings settings = from(Map.of("local-gateway.enabled", "false",
                "local-gateway.host", "0.0.0.0", "local-gateway.port", "0",
                "local-gateway.throttle-rate-limit", "2.5", "local-gateway.throttle-burst-limit", "0",
                "local-gateway.function-timeout", "29s"));

        assertFalse(settings.enabled());
        assertEquals("0.0.0.0", settings.host());
        assertEquals(0, settings.port(), "0: any free port");
        assertEquals(2.5, settings.rateLimit());
        assertEquals(0, settings.burstLimit());
        assertEquals(Duration.ofSeconds(29), settings.functionTimeout());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({ "port, -1", "port, 65536", "port, three-thousand", "throttle-rate-limit, -1",
            "throttle-rate-limit, NaN", "throttle-burst-limit, -1", "function-timeout, 0s", "function-timeout, soon",
            "enabled, yes" })
    void refusesValuesThatMakeNoSense(String name, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> from(Map.of("local-gateway." + name, value)));

        assertTrue(e.getMessage().startsWith("local-gateway." + name), e.getMessage());
    }
}
