package cloud.phonematch.verify.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.SM2Engine;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithRandom;

/**
 * The four primitives of the envelope, with fixed inputs so known-answer tests can drive them. A
 * fresh cipher object per call: ciphers are not thread-safe, and nothing keyed outlives the call.
 */
final class Ciphers {
    /** SM4-GCM tag length: 16 bytes, as the provider's clients use. */
    static final int GCM_TAG_BYTES = 16;

    private Ciphers() {
    }

    /** AES-256-CBC with PKCS#7 padding (the JDK's "PKCS5Padding" is PKCS#7 for 16-byte blocks). */
    static byte[] aes256CbcEncrypt(byte[] key, byte[] iv, byte[] plaintext) throws GeneralSecurityException {
        if (key.length != 32 || iv.length != 16) {
            throw new IllegalArgumentException("AES-256-CBC needs a 32-byte key and a 16-byte IV");
        }
        Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        return cipher.doFinal(plaintext);
    }

    /**
     * SM4-GCM with a 16-byte tag, returned apart from the ciphertext (the provider's clients cut the
     * tag off the end of the GCM output and send it in {@code tag_list}).
     *
     * @param aad associated data, or {@code null} (the envelope uses none)
     */
    static Sealed sm4GcmEncrypt(byte[] key, byte[] iv, byte[] aad, byte[] plaintext) {
        if (key.length != 16) {
            throw new IllegalArgumentException("SM4 needs a 16-byte key");
        }
        KeyParameter keyParameter = new KeyParameter(key);
        byte[] out = null;
        try {
            GCMModeCipher gcm = GCMBlockCipher.newInstance(new SM4Engine());
            gcm.init(true, new AEADParameters(keyParameter, GCM_TAG_BYTES * 8, iv, aad));
            out = new byte[gcm.getOutputSize(plaintext.length)];
            int length = gcm.processBytes(plaintext, 0, plaintext.length, out, 0);
            length += gcm.doFinal(out, length);
            int ciphertextLength = length - GCM_TAG_BYTES;
            return new Sealed(Arrays.copyOfRange(out, 0, ciphertextLength),
                    Arrays.copyOfRange(out, ciphertextLength, length));
        } catch (InvalidCipherTextException e) {
            // Only decryption checks a tag; encryption cannot get here.
            throw new IllegalStateException("SM4-GCM encryption failed");
        } finally {
            Arrays.fill(keyParameter.getKey(), (byte) 0); // getKey() is the parameter's own copy
            if (out != null) {
                Arrays.fill(out, (byte) 0);
            }
        }
    }

    /** RSA PKCS#1 v1.5 encryption of a short secret (the symmetric key). */
    static byte[] rsaPkcs1v15Wrap(RSAPublicKey key, byte[] secret, SecureRandom random)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("RSA/ECB/PKCS1Padding");
        cipher.init(Cipher.ENCRYPT_MODE, key, random);
        return cipher.doFinal(secret);
    }

    /**
     * SM2 public-key encryption (GB/T 32918.4, SM3 as hash and KDF), output {@code C1 || C3 || C2} with
     * C1 as an uncompressed point including its {@code 0x04} prefix:
     * {@code 04 || x1 (32) || y1 (32) || C3 (32) || C2 (len(secret))}. That is the layout the
     * provider's reference clients produce (Bouncy Castle's SM2Engine in Java, tjfoc/gmsm in Go).
     */
    static byte[] sm2Wrap(ECPublicKeyParameters key, byte[] secret, SecureRandom random) {
        SM2Engine engine = new SM2Engine(SM2Engine.Mode.C1C3C2);
        engine.init(true, new ParametersWithRandom(key, random));
        try {
            return engine.processBlock(secret, 0, secret.length);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("SM2 encryption failed");
        }
    }

    /** An SM4-GCM result: ciphertext without the tag, and the tag. */
    record Sealed(byte[] ciphertext, byte[] tag) {
        void clear() {
            Arrays.fill(ciphertext, (byte) 0);
            Arrays.fill(tag, (byte) 0);
        }

        @Override
        public boolean equals(Object other) {
            return this == other;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }

        @Override
        public String toString() {
            return "Sealed[ciphertext=<" + ciphertext.length + " bytes>, tag=<" + tag.length + " bytes>]";
        }
    }
}
