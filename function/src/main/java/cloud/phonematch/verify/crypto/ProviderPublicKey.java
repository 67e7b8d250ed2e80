package cloud.phonematch.verify.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The API provider's public key, RSA (for {@link Algorithm#AES_256_CBC}) or SM2 (for
 * {@link Algorithm#SM4_GCM}), read once from configuration.
 *
 * <p>Accepted text, surrounding blanks and literal {@code \n} sequences (as environment variables
 * often carry PEM) tolerated:
 * <ul>
 *   <li>PEM {@code PUBLIC KEY} (X.509 SubjectPublicKeyInfo): RSA, or EC on the curve sm2p256v1;</li>
 *   <li>PEM {@code RSA PUBLIC KEY} (PKCS#1);</li>
 *   <li>the bare base64 of either DER encoding;</li>
 *   <li>the base64 of a whole PEM text, the form Tencent's SDKs embed.</li>
 * </ul>
 * RSA keys need at least 2048 bits; 1024 only when {@link RsaKeySizes#ALLOW_1024} is chosen
 * ({@code VERIFY_ENCRYPTION_ALLOW_RSA_1024}), since 1024-bit RSA is below every current recommendation (NIST SP
 * 800-131A) but some providers still publish such a key. Anything else is a {@link CryptoConfigurationException}
 * whose message says what is wrong in words.
 *
 * <p>{@link #toString()} names the key type and size only.
 */
public final class ProviderPublicKey {
    private static final int MAX_RSA_BITS = 16384;
    private static final String SUBJECT = "the encryption public key";
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]{1,40})-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final RSAPublicKey rsa;
    private final ECPublicKeyParameters sm2;

    private ProviderPublicKey(RSAPublicKey rsa, ECPublicKeyParameters sm2) {
        this.rsa = rsa;
        this.sm2 = sm2;
    }

    /**
     * Parses the configured public key text; RSA keys need at least 2048 bits.
     *
     * @throws CryptoConfigurationException if the text is not one of the accepted forms of an RSA
     *     (at least 2048-bit) or SM2 public key
     */
    public static ProviderPublicKey parse(String text) {
        return parse(text, RsaKeySizes.AT_LEAST_2048);
    }

    /**
     * Parses the configured public key text, RSA keys of the sizes given.
     *
     * @throws CryptoConfigurationException if the text is not one of the accepted forms of an RSA key of
     *     those sizes or of an SM2 public key
     */
    public static ProviderPublicKey parse(String text, RsaKeySizes sizes) {
        ProviderPublicKey key = read(text);
        if (key.isRsa() && key.bits() < sizes.minimumBits()) {
            throw problem(SUBJECT + " is an RSA key of " + key.bits() + " bits; at least " + sizes.minimumBits()
                    + " are required" + sizes.hintFor(key.bits()));
        }
        return key;
    }

    private static ProviderPublicKey read(String text) {
        if (text == null || text.isBlank()) {
            throw problem(SUBJECT + " is empty");
        }
        String normalized = text.strip().replace("\\r", "").replace("\\n", "\n");
        if (normalized.contains("-----BEGIN")) {
            return fromPem(normalized);
        }
        String neither = SUBJECT + " is neither a PEM public key nor the base64 of a DER public key";
        byte[] decoded = decodeBase64(normalized, neither);
        if (startsWith(decoded, "-----BEGIN")) {
            // The base64 of a PEM text, as Tencent's SDKs store their keys.
            return fromPem(new String(decoded, StandardCharsets.US_ASCII));
        }
        return fromDer(decoded, Encoding.GUESS, neither);
    }

    /** Whether this is an RSA key (fits {@link Algorithm#AES_256_CBC}). */
    public boolean isRsa() {
        return rsa != null;
    }

    /** Whether this is an SM2 key (fits {@link Algorithm#SM4_GCM}). */
    public boolean isSm2() {
        return sm2 != null;
    }

    /** Key size in bits: the RSA modulus length, or 256 for SM2. */
    public int bits() {
        return isRsa() ? rsa.getModulus().bitLength() : sm2.getParameters().getCurve().getFieldSize();
    }

    RSAPublicKey rsaKey() {
        if (rsa == null) {
            throw new IllegalStateException("not an RSA key");
        }
        return rsa;
    }

    ECPublicKeyParameters sm2Key() {
        if (sm2 == null) {
            throw new IllegalStateException("not an SM2 key");
        }
        return sm2;
    }

    String typeName() {
        return isRsa() ? "RSA" : "SM2";
    }

    @Override
    public String toString() {
        return "ProviderPublicKey[" + typeName() + ", " + bits() + " bits]";
    }

    private enum Encoding { SUBJECT_PUBLIC_KEY_INFO, PKCS1_RSA, GUESS }

    private static ProviderPublicKey fromPem(String text) {
        Matcher pem = PEM.matcher(text);
        if (!pem.find()) {
            throw problem(SUBJECT + " is not a PEM public key: its BEGIN and END lines do not match");
        }
        String label = pem.group(1);
        Encoding encoding = switch (label) {
            case "PUBLIC KEY" -> Encoding.SUBJECT_PUBLIC_KEY_INFO;
            case "RSA PUBLIC KEY" -> Encoding.PKCS1_RSA;
            default -> throw problem(wrongPemLabel(label));
        };
        String body = pem.group(2);
        if (body.contains(":")) {
            throw problem(SUBJECT + " is an encrypted or annotated PEM block; give the plain PUBLIC KEY");
        }
        return fromDer(decodeBase64(body, SUBJECT + " PEM body is not valid base64"), encoding,
                SUBJECT + " PEM body is not DER-encoded");
    }

    private static String wrongPemLabel(String label) {
        if (label.contains("PRIVATE KEY")) {
            return SUBJECT + " setting holds a private key; it needs the API provider's public key";
        }
        if (label.contains("CERTIFICATE")) {
            return SUBJECT + " is a certificate; give the public key it certifies (PEM PUBLIC KEY)";
        }
        return SUBJECT + " is not a PEM public key: expected a PUBLIC KEY or RSA PUBLIC KEY block";
    }

    private static ProviderPublicKey fromDer(byte[] der, Encoding encoding, String notDerMessage) {
        ASN1Primitive asn1;
        try {
            asn1 = ASN1Primitive.fromByteArray(der);
        } catch (IOException | RuntimeException e) {
            throw problem(notDerMessage);
        }
        Encoding actual = encoding == Encoding.GUESS ? guess(asn1) : encoding;
        try {
            return actual == Encoding.PKCS1_RSA ? rsa(asn1) : fromSubjectPublicKeyInfo(asn1);
        } catch (CryptoConfigurationException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw problem(SUBJECT + " is not a well-formed "
                    + (actual == Encoding.PKCS1_RSA ? "PKCS#1 RSA public key" : "SubjectPublicKeyInfo"));
        }
    }

    /** SubjectPublicKeyInfo opens with the AlgorithmIdentifier sequence, PKCS#1 with the modulus. */
    private static Encoding guess(ASN1Primitive asn1) {
        if (asn1 instanceof ASN1Sequence sequence && sequence.size() == 2) {
            if (sequence.getObjectAt(0) instanceof ASN1Sequence) {
                return Encoding.SUBJECT_PUBLIC_KEY_INFO;
            }
            if (sequence.getObjectAt(0) instanceof ASN1Integer && sequence.getObjectAt(1) instanceof ASN1Integer) {
                return Encoding.PKCS1_RSA;
            }
        }
        throw problem(SUBJECT + " is neither a SubjectPublicKeyInfo nor a PKCS#1 RSA public key");
    }

    private static ProviderPublicKey fromSubjectPublicKeyInfo(ASN1Primitive asn1) throws IOException {
        SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(asn1);
        ASN1ObjectIdentifier algorithm = info.getAlgorithm().getAlgorithm();
        if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
            return rsa(info.parsePublicKey());
        }
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
            ASN1Encodable curve = info.getAlgorithm().getParameters();
            if (!GMObjectIdentifiers.sm2p256v1.equals(curve)) {
                throw problem(SUBJECT + " is an EC key, but not on SM2's curve sm2p256v1");
            }
            return sm2(info.getPublicKeyData().getOctets());
        }
        throw problem(SUBJECT + " is neither an RSA nor an SM2 public key");
    }

    private static ProviderPublicKey rsa(ASN1Primitive pkcs1) {
        org.bouncycastle.asn1.pkcs.RSAPublicKey parsed = org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(pkcs1);
        BigInteger modulus = parsed.getModulus();
        BigInteger exponent = parsed.getPublicExponent();
        if (modulus.signum() <= 0 || !modulus.testBit(0) || exponent.compareTo(BigInteger.valueOf(3)) < 0
                || !exponent.testBit(0) || exponent.compareTo(modulus) >= 0) {
            throw problem(SUBJECT + " is not a valid RSA key: its modulus or exponent is out of range");
        }
        int bits = modulus.bitLength();
        if (bits < RsaKeySizes.ALLOW_1024.minimumBits() || bits > MAX_RSA_BITS) {
            throw problem(SUBJECT + " is an RSA key of " + bits + " bits; between "
                    + RsaKeySizes.ALLOW_1024.minimumBits() + " and " + MAX_RSA_BITS + " are supported");
        }
        try {
            RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(modulus, exponent));
            return new ProviderPublicKey(key, null);
        } catch (GeneralSecurityException e) {
            throw problem("the JDK cannot load RSA public keys (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static ProviderPublicKey sm2(byte[] encodedPoint) {
        try {
            ECPoint point = Sm2Curve.domain().getCurve().decodePoint(encodedPoint);
            return new ProviderPublicKey(null, new ECPublicKeyParameters(point, Sm2Curve.domain()));
        } catch (RuntimeException e) {
            throw problem(SUBJECT + " is an SM2 key whose point is not on the curve sm2p256v1");
        }
    }

    private static byte[] decodeBase64(String text, String message) {
        try {
            return Base64.getDecoder().decode(WHITESPACE.matcher(text).replaceAll(""));
        } catch (IllegalArgumentException e) {
            throw problem(message);
        }
    }

    private static boolean startsWith(byte[] bytes, String asciiPrefix) {
        byte[] prefix = asciiPrefix.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static CryptoConfigurationException problem(String message) {
        return new CryptoConfigurationException(message);
    }
}
