package cloud.phonematch.verify.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway key pair and self-signed certificate for 127.0.0.1, made by keytool for one test: PEM files for a fake
 * that serves HTTPS ({@code bench/cold-start/runtime_api.py --tls-cert/--tls-key}), and a trust store holding only
 * the certificate, for the one JVM under test that should trust it ({@link #trustOptions()}).
 */
public record ThrowawayTls(Path certificate, Path key, Path trustStore) {
    private static final String PASSWORD = "throwaway";

    public static ThrowawayTls in(Path dir) throws IOException, InterruptedException, GeneralSecurityException {
        Files.createDirectories(dir);
        Path keyStore = dir.resolve("fakes.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "fakes", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "san=ip:127.0.0.1", "-validity", "2", "-keystore", keyStore.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool could not make a throwaway certificate: " + output);
        }
        KeyStore store = KeyStore.getInstance(keyStore.toFile(), PASSWORD.toCharArray());
        Certificate certificate = store.getCertificate("fakes");
        PrivateKey key = (PrivateKey) store.getKey("fakes", PASSWORD.toCharArray());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("throwaway-fakes", certificate);
        Path trustStore = dir.resolve("truststore.p12");
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            trust.store(out, PASSWORD.toCharArray());
        }
        return new ThrowawayTls(Files.writeString(dir.resolve("cert.pem"), pem("CERTIFICATE", certificate.getEncoded())),
                Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", key.getEncoded())), trustStore);
    }

    /** The JVM options that make a JVM trust this certificate, and only it. */
    public List<String> trustOptions() {
        return List.of("-Djavax.net.ssl.trustStore=" + trustStore, "-Djavax.net.ssl.trustStorePassword=" + PASSWORD);
    }

    /** The options that make runtime_api.py's fakes serve HTTPS with it. */
    public List<String> driverOptions() {
        return List.of("--tls-cert", certificate.toString(), "--tls-key", key.toString());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
