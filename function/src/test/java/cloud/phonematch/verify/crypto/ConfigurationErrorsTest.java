package cloud.phonematch.verify.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every way the settings can be wrong ends in a {@link CryptoConfigurationException} that says what
 * is wrong in words and quotes nothing of the key.
 */
class ConfigurationErrorsTest {
    private static final TestKeys.KeyPairForTest rsa = TestKeys.Shared.RSA;
    private static final TestKeys.KeyPairForTest sm2 = TestKeys.Shared.SM2;

    static Stream<Arguments> badKeys() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPairGenerator rsaPrivate = KeyPairGenerator.getInstance("RSA");
        rsaPrivate.initialize(2048);
        byte[] sm2Point = sm2Point();
        sm2Point[sm2Point.length - 1] ^= 0x01; // no longer on the curve
        byte[] truncated = Arrays.copyOf(rsa.publicKeyDer(), rsa.publicKeyDer().length - 10);
        byte[] randomBytes = new byte[200];
        new SecureRandom().nextBytes(randomBytes);

        return Stream.of(
                Arguments.of("blank", "   \n ", "is empty"),
                Arguments.of("words", "please use the provider key", "neither a PEM public key nor the base64 of a DER public key"),
                Arguments.of("not base64", "MIIB!key", "neither a PEM public key nor the base64 of a DER public key"),
                Arguments.of("PEM body not base64", "-----BEGIN PUBLIC KEY-----\n%%%%not*base64%%%%\n-----END PUBLIC KEY-----",
                        "not valid base64"),
                Arguments.of("PEM END label differs", rsa.publicKeyPem().replace("END PUBLIC KEY", "END RSA PUBLIC KEY"),
                        "BEGIN and END lines do not match"),
                Arguments.of("private key PEM",
                        TestKeys.pem("PRIVATE KEY", rsaPrivate.generateKeyPair().getPrivate().getEncoded()),
                        "holds a private key"),
                Arguments.of("certificate PEM", TestKeys.pem("CERTIFICATE", randomBytes), "is a certificate"),
                Arguments.of("other PEM label", TestKeys.pem("DH PARAMETERS", randomBytes), "expected a PUBLIC KEY"),
                Arguments.of("random DER", TestKeys.pem("PUBLIC KEY", randomBytes), "not"),
                Arguments.of("truncated DER", Base64.getEncoder().encodeToString(truncated), "nor the base64 of a DER public key"),
                Arguments.of("PEM body not DER", TestKeys.pem("PUBLIC KEY", Arrays.copyOf(randomBytes, 3)), "PEM body is not DER-encoded"),
                Arguments.of("EC key on P-256", TestKeys.pem("PUBLIC KEY", ec.generateKeyPair().getPublic().getEncoded()),
                        "not on SM2's curve"),
                Arguments.of("Ed25519 key", TestKeys.pem("PUBLIC KEY",
                        KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded()),
                        "neither an RSA nor an SM2"),
                Arguments.of("RSA 512-bit", TestKeys.rsa(512).publicKeyPem(), "RSA key of 512 bits"),
                Arguments.of("SM2 point off the curve",
                        TestKeys.pem("PUBLIC KEY", TestKeys.sm2SubjectPublicKeyInfo(sm2Point)), "not on the curve"),
                Arguments.of("PKCS#1 label on an SPKI body", rsa.publicKeyPem().replace("PUBLIC KEY", "RSA PUBLIC KEY"),
                        "not a well-formed PKCS#1 RSA public key"));
    }

    private static byte[] sm2Point() {
        // The uncompressed point is the last 65 bytes of the SubjectPublicKeyInfo.
        byte[] der = sm2.publicKeyDer();
        return Arrays.copyOfRange(der, der.length - 65, der.length);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badKeys")
    void aBadPublicKeyIsAConfigurationError(String label, String keyText, String expectedWords) {
        CryptoConfigurationException e =
                assertThrows(CryptoConfigurationException.class, () -> ProviderPublicKey.parse(keyText));
        assertTrue(e.getMessage().contains(expectedWords), () -> "message: " + e.getMessage());
        assertNull(e.getCause(), "no cause that could quote the bytes");
        assertQuotesNothingOf(keyText, e.getMessage());
    }

    @ParameterizedTest
    @NullAndEmptySource
    void aMissingPublicKeyIsAConfigurationError(String keyText) {
        CryptoConfigurationException e =
                assertThrows(CryptoConfigurationException.class, () -> ProviderPublicKey.parse(keyText));
        assertEquals("the encryption public key is empty", e.getMessage());
    }

    @Test
    void anRsaKeyCannotServeSm4Gcm() {
        ProviderPublicKey key = ProviderPublicKey.parse(rsa.publicKeyPem());
        CryptoConfigurationException e = assertThrows(CryptoConfigurationException.class,
                () -> new FieldEncryptor(Algorithm.SM4_GCM, key, EnvelopeShape.ARRAY, new SecureRandom()));
        assertEquals("SM4-GCM needs the API provider's SM2 public key, but the configured key is an RSA key", e.getMessage());
        assertQuotesNothingOf(rsa.publicKeyPem(), e.getMessage());
    }

    @Test
    void anSm2KeyCannotServeAes256Cbc() {
        ProviderPublicKey key = ProviderPublicKey.parse(sm2.publicKeyPem());
        CryptoConfigurationException e = assertThrows(CryptoConfigurationException.class,
                () -> new FieldEncryptor(Algorithm.AES_256_CBC, key, EnvelopeShape.OBJECT, new SecureRandom()));
        assertEquals("AES-256-CBC needs the API provider's RSA public key, but the configured key is an SM2 key",
                e.getMessage());
        assertQuotesNothingOf(sm2.publicKeyPem(), e.getMessage());
    }

    @Test
    void anRsaKeyUnder2048BitsIsRefusedUnless1024IsAllowed() {
        String rsa1024 = TestKeys.rsa(1024).publicKeyPem();
        CryptoConfigurationException e = assertThrows(CryptoConfigurationException.class,
                () -> ProviderPublicKey.parse(rsa1024));
        assertEquals("the encryption public key is an RSA key of 1024 bits; at least 2048 are required"
                + " (VERIFY_ENCRYPTION_ALLOW_RSA_1024=true accepts a 1024-bit key)", e.getMessage());
        assertThrows(CryptoConfigurationException.class,
                () -> ProviderPublicKey.parse(rsa1024, RsaKeySizes.AT_LEAST_2048));
        assertQuotesNothingOf(rsa1024, e.getMessage());

        ProviderPublicKey allowed = ProviderPublicKey.parse(rsa1024, RsaKeySizes.ALLOW_1024);
        assertEquals(1024, allowed.bits());
        assertTrue(RsaKeySizes.ALLOW_1024.weakButAllowed(allowed));
    }

    @Test
    void a1536BitRsaKeyIsUnder2048AndRefusedByDefault() {
        String rsa1536 = TestKeys.rsa(1536).publicKeyPem();
        assertThrows(CryptoConfigurationException.class, () -> ProviderPublicKey.parse(rsa1536));
        assertEquals(1536, ProviderPublicKey.parse(rsa1536, RsaKeySizes.ALLOW_1024).bits());
    }

    @Test
    void a2048BitRsaKeyIsAcceptedWithoutAWarning() {
        ProviderPublicKey key = ProviderPublicKey.parse(TestKeys.rsa(2048).publicKeyPem());
        assertEquals(2048, key.bits());
        assertFalse(RsaKeySizes.ALLOW_1024.weakButAllowed(key));
        assertFalse(RsaKeySizes.AT_LEAST_2048.weakButAllowed(key));
    }

    @Test
    void nothingUnder1024BitsIsAcceptedEvenWhen1024IsAllowed() {
        CryptoConfigurationException e = assertThrows(CryptoConfigurationException.class,
                () -> ProviderPublicKey.parse(TestKeys.rsa(1016).publicKeyPem(), RsaKeySizes.ALLOW_1024));
        assertTrue(e.getMessage().contains("RSA key of 1016 bits"), e.getMessage());
        assertFalse(e.getMessage().contains("ALLOW_RSA_1024"), "no setting would accept it");
    }

    @ParameterizedTest
    @ValueSource(strings = {"DES", "AES", "AES-128-CBC", "SM4", "SM4-CBC", "none", "false", "0", "AES_256_CBC"})
    void anUnknownAlgorithmSettingIsAConfigurationError(String setting) {
        CryptoConfigurationException e =
                assertThrows(CryptoConfigurationException.class, () -> Algorithm.fromSetting(setting));
        assertEquals("the encryption algorithm setting is not supported: use off, AES-256-CBC or SM4-GCM", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"off", "OFF", " Off ", "", "  "})
    void offOrEmptyMeansNoEncryption(String setting) {
        assertEquals(Optional.empty(), Algorithm.fromSetting(setting));
    }

    @Test
    void nullMeansNoEncryption() {
        assertEquals(Optional.empty(), Algorithm.fromSetting(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"AES-256-CBC", "aes-256-cbc", " Aes-256-Cbc\n"})
    void aes256CbcIsReadCaseInsensitively(String setting) {
        assertEquals(Optional.of(Algorithm.AES_256_CBC), Algorithm.fromSetting(setting));
    }

    @ParameterizedTest
    @ValueSource(strings = {"SM4-GCM", "sm4-gcm", "Sm4-Gcm "})
    void sm4GcmIsReadCaseInsensitively(String setting) {
        assertEquals(Optional.of(Algorithm.SM4_GCM), Algorithm.fromSetting(setting));
    }

    @Test
    void wireNamesAreTheProvidersNames() {
        assertEquals("AES-256-CBC", Algorithm.AES_256_CBC.wireName());
        assertEquals("SM4-GCM", Algorithm.SM4_GCM.wireName());
    }

    @Test
    void envelopeShapeSetting() {
        assertEquals(EnvelopeShape.ARRAY, EnvelopeShape.fromSetting(null));
        assertEquals(EnvelopeShape.ARRAY, EnvelopeShape.fromSetting(""));
        assertEquals(EnvelopeShape.ARRAY, EnvelopeShape.fromSetting("Array"));
        assertEquals(EnvelopeShape.OBJECT, EnvelopeShape.fromSetting(" object "));
        CryptoConfigurationException e =
                assertThrows(CryptoConfigurationException.class, () -> EnvelopeShape.fromSetting("list"));
        assertEquals("the encryption envelope shape setting is not supported: use array or object", e.getMessage());
    }

    /**
     * The message shares no run of 8 characters with the key text's content (PEM armour lines aside,
     * which only name the format).
     */
    static void assertQuotesNothingOf(String keyText, String message) {
        String content = keyText.lines()
                .filter(line -> !line.startsWith("-----"))
                .reduce("", String::concat)
                .replace("\\n", "")
                .replaceAll("\\s+", "");
        for (int i = 0; i + 8 <= content.length(); i++) {
            String window = content.substring(i, i + 8);
            assertFalse(message.contains(window), () -> "message quotes the key text: " + message);
        }
        assertFalse(message.toLowerCase(Locale.ROOT).contains("0x"), "no hex dumps");
    }
}
