package cloud.phonematch.verify.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

/**
 * Reads the SM2 key wrap byte by byte, following GB/T 32918.4 by hand rather than through Bouncy
 * Castle's SM2Engine, to pin the layout {@code 04 || x1 || y1 || C3 || C2} independently of the engine
 * that produced it.
 */
class Sm2LayoutTest {

    @Test
    void theWrappedKeyIsUncompressedC1ThenC3ThenC2() {
        TestKeys.KeyPairForTest keys = TestKeys.sm2();
        ECPrivateKeyParameters privateKey = keys.privateKey().sm2Key();
        ECPublicKeyParameters publicKey = ProviderPublicKey.parse(keys.publicKeyPem()).sm2Key();
        byte[] secret = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

        byte[] wrapped = Ciphers.sm2Wrap(publicKey, secret, new SecureRandom());

        assertEquals(1 + 32 + 32 + 32 + secret.length, wrapped.length);
        assertEquals(0x04, wrapped[0], "uncompressed point marker");
        ECPoint c1 = Sm2Curve.domain().getCurve().createPoint(
                new BigInteger(1, Arrays.copyOfRange(wrapped, 1, 33)),
                new BigInteger(1, Arrays.copyOfRange(wrapped, 33, 65)));
        byte[] c3 = Arrays.copyOfRange(wrapped, 65, 97);
        byte[] c2 = Arrays.copyOfRange(wrapped, 97, wrapped.length);

        ECPoint shared = c1.multiply(privateKey.getD()).normalize();
        byte[] x2 = shared.getAffineXCoord().getEncoded();
        byte[] y2 = shared.getAffineYCoord().getEncoded();
        byte[] mask = kdf(concat(x2, y2), c2.length);
        byte[] message = new byte[c2.length];
        for (int i = 0; i < message.length; i++) {
            message[i] = (byte) (c2[i] ^ mask[i]);
        }

        assertArrayEquals(secret, message, "C2 = M xor KDF(x2 || y2)");
        assertArrayEquals(sm3(concat(x2, message, y2)), c3, "C3 = SM3(x2 || M || y2)");
    }

    /** GB/T 32918.4 KDF with SM3: Hash(Z || ct) for ct = 1, 2, ... (32-bit big-endian), truncated. */
    private static byte[] kdf(byte[] z, int length) {
        byte[] out = new byte[length];
        int counter = 1;
        for (int offset = 0; offset < length; offset += 32, counter++) {
            byte[] block = sm3(concat(z, new byte[] {
                    (byte) (counter >>> 24), (byte) (counter >>> 16), (byte) (counter >>> 8), (byte) counter}));
            System.arraycopy(block, 0, out, offset, Math.min(32, length - offset));
        }
        return out;
    }

    private static byte[] sm3(byte[] input) {
        SM3Digest digest = new SM3Digest();
        digest.update(input, 0, input.length);
        byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, offset, part.length);
            offset += part.length;
        }
        return out;
    }
}
