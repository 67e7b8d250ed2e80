package cloud.phonematch.verify.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import cloud.phonematch.verify.records.RecordsTiming;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.WithDefault;

/** The start refuses settings that break the records' invariants, and the shipped defaults keep them. */
class SettingsCheckTest {

    @Test
    void theShippedDefaultsKeepTheInvariants() throws Exception {
        Duration ttl = defaultOf("idempotencyTtl");
        Duration margin = defaultOf("clockSkewMargin");

        assertEquals(Duration.ofDays(15), ttl);
        assertEquals(Duration.ofSeconds(10), margin);
        assertEquals(Optional.empty(), RecordsTiming.problem(ttl, margin));
    }

    @Test
    void aTtlShorterThanTheRedriveWindowStopsTheStartWithOneLineNamingIt() {
        SettingsCheck.InvalidSettings refused = assertThrows(SettingsCheck.InvalidSettings.class,
                () -> new SettingsCheck().onStart(null, config(Duration.ofHours(24), Duration.ofSeconds(10))));

        assertEquals(RecordsTiming.problem(Duration.ofHours(24), Duration.ofSeconds(10)).orElseThrow(),
                refused.getMessage());
        assertEquals(0, refused.getStackTrace().length, "one line, not a stack trace");
        assertDoesNotThrow(() -> new SettingsCheck().onStart(null, config(Duration.ofDays(15), Duration.ofSeconds(10))));
    }

    private static Duration defaultOf(String setting) throws NoSuchMethodException {
        String text = VerifyConfig.class.getMethod(setting).getAnnotation(WithDefault.class).value();
        return new DurationConverter().convert(text);
    }

    /** A configuration with these two records settings; nothing else is read. */
    private static VerifyConfig config(Duration ttl, Duration margin) {
        Map<String, Object> values = Map.of("idempotencyTtl", ttl, "clockSkewMargin", margin);
        return (VerifyConfig) Proxy.newProxyInstance(VerifyConfig.class.getClassLoader(),
                new Class<?>[] { VerifyConfig.class }, (proxy, method, args) -> {
                    Object value = values.get(method.getName());
                    if (value == null) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return value;
                });
    }
}
