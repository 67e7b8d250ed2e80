package cloud.phonematch.verify.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/**
 * Test key pairs generated on the spot (nothing checked in), with the public half in the PEM forms the
 * function accepts and the private half as {@link PrivateKeyMaterial} for {@link TestDecryptor}.
 *
 * <pre>
 * TestKeys.KeyPairForTest sm2 = TestKeys.sm2();
 * // configure the function with sm2.publicKeyPem(); decrypt what it sends with sm2.privateKey()
 * </pre>
 */
public final class TestKeys {

    /** A generated pair: the public key as PEM and DER (SubjectPublicKeyInfo), the private key. */
    public record KeyPairForTest(String publicKeyPem, byte[] publicKeyDer, PrivateKeyMaterial privateKey) {
        /** Bare base64 of the SubjectPublicKeyInfo DER (no PEM armour). */
        public String publicKeyBase64() {
            return Base64.getEncoder().encodeToString(publicKeyDer);
        }

        /** For RSA pairs: the PKCS#1 {@code RSA PUBLIC KEY} PEM form. */
        public String publicKeyPkcs1Pem() {
            if (!privateKey.isRsa()) {
                throw new IllegalStateException("PKCS#1 is an RSA format");
            }
            try {
                byte[] pkcs1 = SubjectPublicKeyInfo.getInstance(publicKeyDer).parsePublicKey().getEncoded();
                return pem("RSA PUBLIC KEY", pkcs1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return "KeyPairForTest[" + privateKey + "]";
        }
    }

    private TestKeys() {
    }

    /** One RSA-2048 and one SM2 pair for every test that only needs "a provider key" (generated once). */
    public static final class Shared {
        public static final KeyPairForTest RSA = rsa();
        public static final KeyPairForTest SM2 = sm2();

        private Shared() {
        }
    }

    /** A fresh RSA-2048 pair. Takes a few hundred milliseconds; prefer {@link Shared} unless a new key matters. */
    public static KeyPairForTest rsa() {
        return rsa(2048);
    }

    public static KeyPairForTest rsa(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits, new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            byte[] der = pair.getPublic().getEncoded(); // SubjectPublicKeyInfo
            return new KeyPairForTest(pem("PUBLIC KEY", der), der, PrivateKeyMaterial.rsa(pair.getPrivate()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh SM2 pair on sm2p256v1, generated with Bouncy Castle's lightweight API. */
    public static KeyPairForTest sm2() {
        ECDomainParameters domain = new ECDomainParameters(GMNamedCurves.getByName("sm2p256v1"));
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(domain, new SecureRandom()));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        ECPublicKeyParameters publicKey = (ECPublicKeyParameters) pair.getPublic();
        byte[] der = sm2SubjectPublicKeyInfo(publicKey.getQ().getEncoded(false));
        return new KeyPairForTest(pem("PUBLIC KEY", der), der,
                PrivateKeyMaterial.sm2((ECPrivateKeyParameters) pair.getPrivate()));
    }

    /** SubjectPublicKeyInfo {id-ecPublicKey, sm2p256v1} around an encoded point, the standard SM2 form. */
    static byte[] sm2SubjectPublicKeyInfo(byte[] encodedPoint) {
        try {
            return new SubjectPublicKeyInfo(
                    new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, GMObjectIdentifiers.sm2p256v1),
                    encodedPoint).getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** PEM armour with 64-character lines. */
    public static String pem(String label, byte[] der) {
        String body = new String(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encode(der),
                StandardCharsets.US_ASCII);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }
}
