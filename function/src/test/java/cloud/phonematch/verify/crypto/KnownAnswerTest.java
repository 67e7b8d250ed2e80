package cloud.phonematch.verify.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Published test vectors run through the same primitives {@link FieldEncryptor} uses, with the
 * vectors' fixed keys and IVs.
 */
class KnownAnswerTest {
    private static final HexFormat HEX = HexFormat.of();

    /**
     * RFC 8998 ("ShangMi (SM) Cipher Suites for TLS 1.3"), Appendix A.1, SM4-GCM Test Vectors. Checked
     * against the RFC text itself.
     */
    @Test
    void sm4GcmMatchesRfc8998AppendixA1() {
        byte[] key = HEX.parseHex("0123456789ABCDEFFEDCBA9876543210");
        byte[] iv = HEX.parseHex("00001234567800000000ABCD");
        byte[] aad = HEX.parseHex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2");
        byte[] plaintext = HEX.parseHex("AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB"
                + "CCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD"
                + "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFF"
                + "EEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA");
        byte[] expectedCiphertext = HEX.parseHex("17F399F08C67D5EE19D0DC9969C4BB7D"
                + "5FD46FD3756489069157B282BB200735"
                + "D82710CA5C22F0CCFA7CBF93D496AC15"
                + "A56834CBCF98C397B4024A2691233B8D");
        byte[] expectedTag = HEX.parseHex("83DE3541E4C2B58177E065A9BF7B62EC");

        Ciphers.Sealed sealed = Ciphers.sm4GcmEncrypt(key, iv, aad, plaintext);

        assertArrayEquals(expectedCiphertext, sealed.ciphertext(), "ciphertext without the tag");
        assertArrayEquals(expectedTag, sealed.tag(), "16-byte tag, kept apart");
        assertArrayEquals(HEX.parseHex("0123456789ABCDEFFEDCBA9876543210"), key, "the caller's key is left intact");
    }

    /**
     * NIST SP 800-38A, F.2.5 CBC-AES256.Encrypt. The vector has no padding; PKCS#7 adds one full block
     * of 0x10 bytes after its four blocks, whose expected value is computed with a raw AES block
     * encryption: E(K, C4 xor 10..10).
     */
    @Test
    void aes256CbcMatchesNistSp80038aF25() throws Exception {
        byte[] key = HEX.parseHex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
        byte[] iv = HEX.parseHex("000102030405060708090a0b0c0d0e0f");
        byte[] plaintext = HEX.parseHex("6bc1bee22e409f96e93d7e117393172a"
                + "ae2d8a571e03ac9c9eb76fac45af8e51"
                + "30c81c46a35ce411e5fbc1191a0a52ef"
                + "f69f2445df4f9b17ad2b417be66c3710");
        byte[] expected = HEX.parseHex("f58c4c04d6e5f1ba779eabfb5f7bfbd6"
                + "9cfc4e967edb808d679f777bc6702c7d"
                + "39f23369a9d9bacfa530e26304231461"
                + "b2eb05e2c39be9fcda6c19078c6a9d1b");

        byte[] ciphertext = Ciphers.aes256CbcEncrypt(key, iv, plaintext);

        assertEquals(80, ciphertext.length, "four vector blocks and one padding block");
        assertArrayEquals(expected, Arrays.copyOf(ciphertext, 64));
        byte[] paddingInput = Arrays.copyOfRange(ciphertext, 48, 64);
        for (int i = 0; i < paddingInput.length; i++) {
            paddingInput[i] ^= 0x10;
        }
        Cipher block = Cipher.getInstance("AES/ECB/NoPadding");
        block.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        assertArrayEquals(block.doFinal(paddingInput), Arrays.copyOfRange(ciphertext, 64, 80), "PKCS#7 padding block");
    }
}
