package cloud.phonematch.verify.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import cloud.phonematch.verify.support.ProjectRoot;

/**
 * After {@code package} (Failsafe): the Bouncy Castle in {@code target/function.zip} (minimized by the Maven Shade
 * plugin, inside the dependency jar {@code src/build/java/RepackFunctionZip.java} merged) holds everything the
 * function's encryption needs. The function's crypto classes
 * and Bouncy Castle are loaded from the packaged jar and {@code target/classes} only, never from the full
 * Bouncy Castle on the test class path; each algorithm and envelope shape encrypts there, and the provider's side
 * ({@link TestDecryptor}, on the full Bouncy Castle) must recover the name and number.
 */
class TrimmedBouncyCastleIT {
    private static final String CRYPTO = "cloud.phonematch.verify.crypto.";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;
    private static Path packagedJar;
    private static URLClassLoader packaged;

    @BeforeAll
    static void loadFromThePackage() throws IOException {
        try (ZipFile zip = new ZipFile(ProjectRoot.MODULE.resolve("target/function.zip").toFile())) {
            ZipEntry entry = zip.getEntry("lib/function-dependencies.jar");
            assertNotNull(entry, "no dependency jar in target/function.zip");
            packagedJar = work.resolve("function-dependencies.jar");
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, packagedJar);
            }
        }
        packaged = new PackagedFirst(new URL[] {packagedJar.toUri().toURL(), ProjectRoot.MODULE.resolve("target/classes").toUri().toURL()},
                TrimmedBouncyCastleIT.class.getClassLoader());
    }

    @AfterAll
    static void close() throws IOException {
        packaged.close();
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void everyAlgorithmAndShapeRunsOnThePackagedJar(Algorithm algorithm) throws Exception {
        TestKeys.KeyPairForTest keys = algorithm == Algorithm.AES_256_CBC ? TestKeys.Shared.RSA : TestKeys.Shared.SM2;
        for (EnvelopeShape shape : EnvelopeShape.values()) {
            for (String keyText : List.of(keys.publicKeyPem(), keys.publicKeyBase64())) {
                ObjectNode body = JSON.createObjectNode().put("name", "欧阳娜娜").put("mobile", "19912345678");
                encryptInPackage(algorithm, shape, keyText, body);
                assertEquals(Map.of("name", "欧阳娜娜", "mobile", "19912345678"),
                        TestDecryptor.decrypt(body.toString(), keys.privateKey()), algorithm + ", " + shape);
            }
        }
    }

    @Test
    void theCryptoClassesReallyRanOnThePackagedJarAndItIsTrimmed() throws Exception {
        Class<?> engine = packaged.loadClass("org.bouncycastle.crypto.engines.SM2Engine");
        assertSame(packaged, engine.getClassLoader(), "Bouncy Castle comes from the packaged jar");
        assertSame(packaged, packaged.loadClass(CRYPTO + "FieldEncryptor").getClassLoader());
        // What the function does not use is gone (and is not borrowed from the test class path).
        assertThrows(ClassNotFoundException.class,
                () -> packaged.loadClass("org.bouncycastle.jce.provider.BouncyCastleProvider"));
        assertThrows(ClassNotFoundException.class,
                () -> packaged.loadClass("org.bouncycastle.pqc.crypto.mlkem.MLKEMEngine"));
        try (ZipFile jar = new ZipFile(packagedJar.toFile())) {
            assertFalse(jar.stream().anyMatch(e -> e.getName().endsWith(".SF")), "the signature no longer applies");
            assertFalse(jar.stream().anyMatch(e -> e.getName().startsWith("META-INF/services/")
                    && readText(jar, e).contains("org.bouncycastle.")), "no provider registration for classes that are gone");
            long classes = jar.stream().filter(e -> e.getName().startsWith("org/bouncycastle/")
                    && e.getName().endsWith(".class")).count();
            assertTrue(classes > 100 && classes < 2000, classes + " classes: a closure, neither empty nor everything");
        }
    }

    private static String readText(ZipFile jar, ZipEntry entry) {
        try (InputStream in = jar.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void encryptInPackage(Algorithm algorithm, EnvelopeShape shape, String keyText, ObjectNode body)
            throws ReflectiveOperationException {
        Class<?> keyType = packaged.loadClass(CRYPTO + "ProviderPublicKey");
        Class<?> algorithmType = packaged.loadClass(CRYPTO + "Algorithm");
        Class<?> shapeType = packaged.loadClass(CRYPTO + "EnvelopeShape");
        Object key = keyType.getMethod("parse", String.class).invoke(null, keyText);
        Object encryptor = packaged.loadClass(CRYPTO + "FieldEncryptor")
                .getConstructor(algorithmType, keyType, shapeType, SecureRandom.class)
                .newInstance(constant(algorithmType, algorithm.name()), key, constant(shapeType, shape.name()),
                        new SecureRandom());
        Object fields = encryptor.getClass().getMethod("encrypt", String.class, String.class)
                .invoke(encryptor, body.get("name").asText(), body.get("mobile").asText());
        fields.getClass().getMethod("writeInto", ObjectNode.class).invoke(fields, body);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object constant(Class<?> enumType, String name) {
        return Enum.valueOf((Class) enumType, name);
    }

    /** Bouncy Castle and the function's crypto package from the given jars only; everything else from the parent. */
    private static final class PackagedFirst extends URLClassLoader {
        PackagedFirst(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("org.bouncycastle.") && !name.startsWith(CRYPTO)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                return loaded != null ? loaded : findClass(name); // no fallback to the full jar
            }
        }
    }
}
