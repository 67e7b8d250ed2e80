package cloud.phonematch.verify.config;

import java.util.Optional;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import cloud.phonematch.verify.crypto.CryptoConfigurationException;
import cloud.phonematch.verify.crypto.EncryptionSettings;
import cloud.phonematch.verify.records.RecordsSettings;
import cloud.phonematch.verify.verification.AttemptSettings;
import cloud.phonematch.verify.crypto.ProviderPublicKey;
import cloud.phonematch.verify.crypto.RsaKeySizes;
import cloud.phonematch.verify.records.RecordsTiming;
import io.quarkus.runtime.StartupEvent;

/**
 * Refuses to start with settings that break an invariant the money depends on (the records' timing, see
 * {@link RecordsTiming}) or that could never encrypt (a configured provider key that cannot be used, an RSA key
 * under the allowed size, see {@link RsaKeySizes}): one error line naming the setting, then an init that fails, so
 * that a deployment with them never serves a request. Runs at every start, before any invocation. A key held in the
 * token secret is read only with a request; the same rule refuses it there, as CONFIGURATION before any call.
 */
@Singleton
public class SettingsCheck {
    private static final Logger LOG = Logger.getLogger(SettingsCheck.class);

    void onStart(@Observes StartupEvent event, RecordsSettings records, EncryptionSettings encryption,
            AttemptSettings attempts) {
        checkRepeatSetting(attempts);
        RecordsTiming.problem(records.idempotencyTtl(), records.clockSkewMargin()).ifPresent(SettingsCheck::refuse);
        checkEncryptionKey(encryption);
    }

    /**
     * The configured provider key, when encryption is on: readable and of an accepted size, and one warning when it is
     * a 1024-bit RSA key accepted only because the operator allowed it. (A public key: reading it at start puts no
     * secret into a SnapStart snapshot; the encryptor itself is still built on first use.)
     */
    private static void checkEncryptionKey(EncryptionSettings config) {
        Optional<String> keyText = config.encryptionPublicKey().filter(k -> !k.isBlank());
        if (keyText.isEmpty() || "off".equalsIgnoreCase(config.encryption().strip())) {
            return;
        }
        RsaKeySizes sizes = RsaKeySizes.fromSetting(config.encryptionAllowRsa1024());
        ProviderPublicKey key;
        try {
            key = ProviderPublicKey.parse(keyText.get(), sizes);
        } catch (CryptoConfigurationException e) {
            // The message names the problem in words (type, size), never the key.
            refuse("VERIFY_ENCRYPTION_PUBLIC_KEY: " + e.getMessage());
            return;
        }
        if (sizes.weakButAllowed(key)) {
            LOG.warnf("VERIFY_ENCRYPTION_PUBLIC_KEY is a %d-bit RSA key, accepted because"
                    + " VERIFY_ENCRYPTION_ALLOW_RSA_1024 is true; ask the provider for a key of 2048 bits or more",
                    key.bits());
        }
    }

    /** The old name of the repeat setting still works, with a warning; the two names set differently stop the start. */
    @SuppressWarnings("deprecation")
    private static void checkRepeatSetting(AttemptSettings attempts) {
        attempts.repeatPossiblyChargedConflict().ifPresent(SettingsCheck::refuse);
        if (attempts.retryOnTimeout().isPresent()) {
            LOG.warn("VERIFY_RETRY_ON_TIMEOUT is the old name of VERIFY_REPEAT_POSSIBLY_CHARGED; set that instead");
        }
    }

    private static void refuse(String problem) {
        LOG.error(problem);
        throw new InvalidSettings(problem);
    }

    /** A setting the function refuses to start with; its message is the one line that names it. */
    public static final class InvalidSettings extends RuntimeException {
        InvalidSettings(String message) {
            super(message, null, false, false);
        }
    }
}
