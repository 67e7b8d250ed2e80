package cloud.phonematch.verify.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.logging.Level;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import cloud.phonematch.verify.crypto.TestKeys;
import cloud.phonematch.verify.crypto.EncryptionSettings;
import cloud.phonematch.verify.records.RecordsSettings;
import cloud.phonematch.verify.support.RecordedLogs;
import cloud.phonematch.verify.support.SettingsStub;
import cloud.phonematch.verify.verification.AttemptSettings;

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
                () -> start(config(Duration.ofHours(24), Duration.ofSeconds(10))));

        assertEquals(RecordsTiming.problem(Duration.ofHours(24), Duration.ofSeconds(10)).orElseThrow(),
                refused.getMessage());
        assertEquals(0, refused.getStackTrace().length, "one line, not a stack trace");
        assertDoesNotThrow(() -> start(config(Duration.ofDays(15), Duration.ofSeconds(10))));
    }

    @Test
    void aConfiguredRsaKeyUnder2048BitsStopsTheStartWithOneLineNamingTheSettings() {
        String rsa1024 = TestKeys.rsa(1024).publicKeyPem();

        SettingsCheck.InvalidSettings refused = assertThrows(SettingsCheck.InvalidSettings.class,
                () -> start(encrypting("AES-256-CBC", rsa1024, false)));

        assertEquals("VERIFY_ENCRYPTION_PUBLIC_KEY: the encryption public key is an RSA key of 1024 bits; at least 2048"
                + " are required (VERIFY_ENCRYPTION_ALLOW_RSA_1024=true accepts a 1024-bit key)", refused.getMessage());
        assertEquals(0, refused.getStackTrace().length, "one line, not a stack trace");
    }

    @Test
    void a1024BitKeyStartsWithOneWarningWhenAllowedAnd2048WithNone() {
        String rsa1024 = TestKeys.rsa(1024).publicKeyPem();
        List<RecordedLogs.Message> warnings;
        try (RecordedLogs logs = RecordedLogs.start()) {
            start(encrypting("AES-256-CBC", rsa1024, true));
            warnings = logs.messages().stream().filter(m -> m.logger().equals(SettingsCheck.class.getName())).toList();
        }
        assertEquals(1, warnings.size(), warnings.toString());
        assertEquals(Level.WARNING.intValue(), warnings.get(0).level().intValue());
        assertTrue(warnings.get(0).message().startsWith("VERIFY_ENCRYPTION_PUBLIC_KEY is a 1024-bit RSA key"),
                warnings.get(0).message());

        try (RecordedLogs logs = RecordedLogs.start()) {
            start(encrypting("AES-256-CBC", TestKeys.Shared.RSA.publicKeyPem(), false));
            assertEquals(List.of(), logs.messages().stream()
                    .filter(m -> m.logger().equals(SettingsCheck.class.getName())).toList());
        }
    }

    @Test
    void underTheFloorNothingIsAllowedAndAnUnreadableKeyStopsTheStartToo() {
        assertThrows(SettingsCheck.InvalidSettings.class, () -> start(
                encrypting("AES-256-CBC", TestKeys.rsa(512).publicKeyPem(), true)));
        SettingsCheck.InvalidSettings unreadable = assertThrows(SettingsCheck.InvalidSettings.class,
                () -> start(encrypting("AES-256-CBC", "not a key", false)));
        assertTrue(unreadable.getMessage().startsWith("VERIFY_ENCRYPTION_PUBLIC_KEY: "), unreadable.getMessage());
    }

    @Test
    void aKeyIsNotJudgedWhileEncryptionIsOff() {
        assertDoesNotThrow(() -> start(
                encrypting("off", TestKeys.rsa(1024).publicKeyPem(), false)));
    }

    private static Duration defaultOf(String setting) throws NoSuchMethodException {
        String text = RecordsSettings.class.getMethod(setting).getAnnotation(WithDefault.class).value();
        return new DurationConverter().convert(text);
    }

    /** What the start check reads. */
    private record Settings(RecordsSettings records, EncryptionSettings encryption, AttemptSettings attempts) {
    }

    private static void start(Settings settings) {
        new SettingsCheck().onStart(null, settings.records(), settings.encryption(), settings.attempts());
    }

    /** These two records settings, encryption off, the attempts' defaults. */
    private static Settings config(Duration ttl, Duration margin) {
        return new Settings(SettingsStub.of(RecordsSettings.class, Map.of("idempotencyTtl", ttl, "clockSkewMargin",
                margin)), SettingsStub.of(EncryptionSettings.class), SettingsStub.of(AttemptSettings.class));
    }

    /** The shipped records settings, encryption with this configured key. */
    private static Settings encrypting(String algorithm, String publicKey, boolean allowRsa1024) {
        return new Settings(SettingsStub.of(RecordsSettings.class), SettingsStub.of(EncryptionSettings.class,
                Map.of("encryption", algorithm, "encryptionPublicKey", Optional.of(publicKey),
                        "encryptionAllowRsa1024", allowRsa1024)), SettingsStub.of(AttemptSettings.class));
    }

    /** The shipped records settings and encryption off, the repeat setting under its two names as given. */
    private static Settings repeating(Optional<Boolean> current, Optional<Boolean> old) {
        return new Settings(SettingsStub.of(RecordsSettings.class), SettingsStub.of(EncryptionSettings.class),
                SettingsStub.of(AttemptSettings.class, Map.of("repeatPossiblyChargedSetting", current,
                        "retryOnTimeout", old)));
    }

    @Test
    void theRepeatSettingsOldNameStillWorksWithAWarning() {
        try (RecordedLogs logs = RecordedLogs.start()) {
            start(repeating(Optional.empty(), Optional.of(true)));
            assertEquals(1, logs.messages().stream().filter(m -> m.level().intValue() == Level.WARNING.intValue()
                    && m.message().contains("VERIFY_RETRY_ON_TIMEOUT is the old name")).count());
        }
        assertTrue(repeating(Optional.empty(), Optional.of(true)).attempts().repeatPossiblyCharged());
        assertTrue(repeating(Optional.of(true), Optional.empty()).attempts().repeatPossiblyCharged());
        assertTrue(!repeating(Optional.empty(), Optional.empty()).attempts().repeatPossiblyCharged(),
                "off unless asked for");
    }

    @Test
    void theRepeatSettingUnderTwoNamesSetDifferentlyStopsTheStart() {
        SettingsCheck.InvalidSettings refused = assertThrows(SettingsCheck.InvalidSettings.class,
                () -> start(repeating(Optional.of(false), Optional.of(true))));
        assertTrue(refused.getMessage().contains("set differently"), refused.getMessage());
        try (RecordedLogs logs = RecordedLogs.start()) {
            assertDoesNotThrow(() -> start(repeating(Optional.of(true), Optional.empty())));
            assertTrue(logs.messages().stream().noneMatch(m -> m.level().intValue() == Level.WARNING.intValue()), "the current name: quiet");
        }
    }
}
