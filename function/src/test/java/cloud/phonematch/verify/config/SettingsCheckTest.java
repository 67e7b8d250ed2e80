package cloud.phonematch.verify.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.logging.Level;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import cloud.phonematch.verify.crypto.TestKeys;
import cloud.phonematch.verify.support.RecordedLogs;

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

    @Test
    void aConfiguredRsaKeyUnder2048BitsStopsTheStartWithOneLineNamingTheSettings() {
        String rsa1024 = TestKeys.rsa(1024).publicKeyPem();

        SettingsCheck.InvalidSettings refused = assertThrows(SettingsCheck.InvalidSettings.class,
                () -> new SettingsCheck().onStart(null, encrypting("AES-256-CBC", rsa1024, false)));

        assertEquals("VERIFY_ENCRYPTION_PUBLIC_KEY: the encryption public key is an RSA key of 1024 bits; at least 2048"
                + " are required (VERIFY_ENCRYPTION_ALLOW_RSA_1024=true accepts a 1024-bit key)", refused.getMessage());
        assertEquals(0, refused.getStackTrace().length, "one line, not a stack trace");
    }

    @Test
    void a1024BitKeyStartsWithOneWarningWhenAllowedAnd2048WithNone() {
        String rsa1024 = TestKeys.rsa(1024).publicKeyPem();
        List<RecordedLogs.Message> warnings;
        try (RecordedLogs logs = RecordedLogs.start()) {
            new SettingsCheck().onStart(null, encrypting("AES-256-CBC", rsa1024, true));
            warnings = logs.messages().stream().filter(m -> m.logger().equals(SettingsCheck.class.getName())).toList();
        }
        assertEquals(1, warnings.size(), warnings.toString());
        assertEquals(Level.WARNING.intValue(), warnings.get(0).level().intValue());
        assertTrue(warnings.get(0).message().startsWith("VERIFY_ENCRYPTION_PUBLIC_KEY is a 1024-bit RSA key"),
                warnings.get(0).message());

        try (RecordedLogs logs = RecordedLogs.start()) {
            new SettingsCheck().onStart(null, encrypting("AES-256-CBC", TestKeys.Shared.RSA.publicKeyPem(), false));
            assertEquals(List.of(), logs.messages().stream()
                    .filter(m -> m.logger().equals(SettingsCheck.class.getName())).toList());
        }
    }

    @Test
    void underTheFloorNothingIsAllowedAndAnUnreadableKeyStopsTheStartToo() {
        assertThrows(SettingsCheck.InvalidSettings.class, () -> new SettingsCheck().onStart(null,
                encrypting("AES-256-CBC", TestKeys.rsa(512).publicKeyPem(), true)));
        SettingsCheck.InvalidSettings unreadable = assertThrows(SettingsCheck.InvalidSettings.class,
                () -> new SettingsCheck().onStart(null, encrypting("AES-256-CBC", "not a key", false)));
        assertTrue(unreadable.getMessage().startsWith("VERIFY_ENCRYPTION_PUBLIC_KEY: "), unreadable.getMessage());
    }

    @Test
    void aKeyIsNotJudgedWhileEncryptionIsOff() {
        assertDoesNotThrow(() -> new SettingsCheck().onStart(null,
                encrypting("off", TestKeys.rsa(1024).publicKeyPem(), false)));
    }

    private static Duration defaultOf(String setting) throws NoSuchMethodException {
        String text = VerifyConfig.class.getMethod(setting).getAnnotation(WithDefault.class).value();
        return new DurationConverter().convert(text);
    }

    /** A configuration with these two records settings and encryption off; nothing else is read. */
    private static VerifyConfig config(Duration ttl, Duration margin) {
        return config(Map.of("idempotencyTtl", ttl, "clockSkewMargin", margin, "encryption", "off",
                "encryptionPublicKey", Optional.empty(), "encryptionAllowRsa1024", false));
    }

    /** The shipped records settings, encryption with this configured key. */
    private static VerifyConfig encrypting(String algorithm, String publicKey, boolean allowRsa1024) {
        return config(Map.of("idempotencyTtl", Duration.ofDays(15), "clockSkewMargin", Duration.ofSeconds(10),
                "encryption", algorithm, "encryptionPublicKey", Optional.of(publicKey), "encryptionAllowRsa1024",
                allowRsa1024));
    }

    private static VerifyConfig config(Map<String, Object> values) {
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
