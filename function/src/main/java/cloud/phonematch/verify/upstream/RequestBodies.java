package cloud.phonematch.verify.upstream;

import java.security.SecureRandom;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.phonematch.verify.crypto.EncryptionSettings;
import cloud.phonematch.verify.crypto.Algorithm;
import cloud.phonematch.verify.crypto.CryptoConfigurationException;
import cloud.phonematch.verify.crypto.EnvelopeShape;
import cloud.phonematch.verify.crypto.FieldEncryptor;
import cloud.phonematch.verify.crypto.ProviderPublicKey;
import cloud.phonematch.verify.crypto.RsaKeySizes;
import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.verification.RenewableRandom;
import cloud.phonematch.verify.verification.RenewableAfterRestore;
import cloud.phonematch.verify.verification.UpstreamCall;

/**
 * The API's request body: {@code {name, mobile}} in the clear, or — with {@code VERIFY_ENCRYPTION} — both
 * encrypted with a fresh key and IV per request and the {@code encryption} envelope beside them. The
 * encryptor is built on first use (never at start-up, so no key material is in a SnapStart snapshot) and
 * rebuilt only when the provider key changes (e.g. a rotated secret).
 */
@ApplicationScoped
public class RequestBodies implements RenewableAfterRestore {
    private static final Logger LOG = Logger.getLogger(RequestBodies.class);
    /** Empty when encryption is off. */
    private final Optional<Algorithm> algorithm;
    /** A VERIFY_ENCRYPTION value that names no algorithm: every call then fails as CONFIGURATION. */
    private final boolean unknownAlgorithm;
    private final EnvelopeShape shape;
    private final Optional<String> configuredKey;
    private final RsaKeySizes rsaKeySizes;
    /** Each request's fresh key and IV come from it; renewed (with the encryptor) after a SnapStart restore. */
    private final RenewableRandom random = new RenewableRandom();

    private String encryptorKeyText;
    private FieldEncryptor encryptor;

    @Inject
    public RequestBodies(EncryptionSettings config) {
        // A misspelt setting must fail every call as CONFIGURATION, never fall back to sending plaintext.
        Optional<Algorithm> parsed = Optional.empty();
        boolean unknown = false;
        try {
            parsed = Algorithm.fromSetting(config.encryption());
        } catch (CryptoConfigurationException e) {
            unknown = true;
        }
        this.algorithm = parsed;
        this.unknownAlgorithm = unknown;
        this.shape = EnvelopeShape.fromSetting(config.encryptionShape());
        this.configuredKey = config.encryptionPublicKey().filter(k -> !k.isBlank());
        this.rsaKeySizes = RsaKeySizes.fromSetting(config.encryptionAllowRsa1024());
    }

    private RequestBodies(EnvelopeShape shape) {
        this.algorithm = Optional.empty();
        this.unknownAlgorithm = false;
        this.shape = shape;
        this.configuredKey = Optional.empty();
        this.rsaKeySizes = RsaKeySizes.AT_LEAST_2048;
    }

    /**
     * Bodies in the clear whatever the settings say: the priming's, which sends placeholders to a loopback server
     * and must not build an encryptor (no key material before a SnapStart snapshot).
     */
    public static RequestBodies plaintext() {
        return new RequestBodies(EnvelopeShape.ARRAY);
    }

    public boolean encrypting() {
        return unknownAlgorithm || algorithm.isPresent();
    }

    /**
     * @throws CryptoConfigurationException when encryption is on but cannot be done (unknown algorithm, no
     *         or bad key, key of the wrong type, an RSA key under the allowed size) — nothing is sent then
     */
    public ObjectNode bodyFor(UpstreamCall call) {
        ObjectNode body = Json.object();
        if (unknownAlgorithm) {
            throw new CryptoConfigurationException("VERIFY_ENCRYPTION must be off, AES-256-CBC or SM4-GCM");
        }
        if (algorithm.isEmpty()) {
            body.put("name", call.name());
            body.put("mobile", call.mobile());
            return body;
        }
        return encryptorFor(call).encrypt(call.name(), call.mobile()).writeInto(body);
    }

    /** A new generator, and the encryptor built on it is dropped (the next request builds one on the new one). */
    @Override
    public synchronized void renewAfterRestore() {
        random.renewAfterRestore();
        encryptor = null;
        encryptorKeyText = null;
    }

    /** The generator the next encryptor is built on. */
    synchronized SecureRandom random() {
        return random.current();
    }

    private synchronized FieldEncryptor encryptorFor(UpstreamCall call) {
        String keyText = configuredKey
                .or(() -> call.token() == null ? Optional.empty() : call.token().encryptionPublicKey())
                .orElseThrow(() -> new CryptoConfigurationException(
                        "encryption is on but no public key is configured (VERIFY_ENCRYPTION_PUBLIC_KEY or the"
                                + " token secret's public_key)"));
        if (encryptor == null || !keyText.equals(encryptorKeyText)) {
            ProviderPublicKey key = ProviderPublicKey.parse(keyText, rsaKeySizes);
            if (configuredKey.isEmpty() && rsaKeySizes.weakButAllowed(key)) {
                // The configured key was warned about at start; one from the secret is seen first here.
                LOG.warnf("the token secret's public_key is a %d-bit RSA key, accepted because"
                        + " VERIFY_ENCRYPTION_ALLOW_RSA_1024 is true", key.bits());
            }
            encryptor = new FieldEncryptor(algorithm.get(), key, shape, random.current());
            encryptorKeyText = keyText;
        }
        return encryptor;
    }
}
