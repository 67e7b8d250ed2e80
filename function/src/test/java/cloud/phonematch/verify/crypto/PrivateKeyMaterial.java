package cloud.phonematch.verify.crypto;

import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.Objects;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;

/**
 * A test-only private key that opens envelopes: RSA (for AES-256-CBC) or SM2 (for SM4-GCM). Made by
 * {@link TestKeys}; consumed by {@link TestDecryptor}. {@link #toString()} shows the type only.
 */
public final class PrivateKeyMaterial {
    private final RSAPrivateKey rsa;
    private final ECPrivateKeyParameters sm2;

    private PrivateKeyMaterial(RSAPrivateKey rsa, ECPrivateKeyParameters sm2) {
        this.rsa = rsa;
        this.sm2 = sm2;
    }

    public static PrivateKeyMaterial rsa(PrivateKey key) {
        return new PrivateKeyMaterial((RSAPrivateKey) Objects.requireNonNull(key, "key"), null);
    }

    public static PrivateKeyMaterial sm2(ECPrivateKeyParameters key) {
        return new PrivateKeyMaterial(null, Objects.requireNonNull(key, "key"));
    }

    public boolean isRsa() {
        return rsa != null;
    }

    public boolean isSm2() {
        return sm2 != null;
    }

    RSAPrivateKey rsaKey() {
        return rsa;
    }

    ECPrivateKeyParameters sm2Key() {
        return sm2;
    }

    @Override
    public String toString() {
        return "PrivateKeyMaterial[" + (isRsa() ? "RSA" : "SM2") + "]";
    }
}
