package org.agentplatform.github.support;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/** RSA keys for tests, as PEM in both formats a GitHub App key may come in. */
public final class RsaKeys {

    private RsaKeys() {
    }

    public static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code BEGIN PRIVATE KEY} (PKCS#8). */
    public static String pkcs8Pem(KeyPair pair) {
        return pem("PRIVATE KEY", pair.getPrivate().getEncoded());
    }

    /** {@code BEGIN RSA PRIVATE KEY} (PKCS#1), the format GitHub hands out. */
    public static String pkcs1Pem(KeyPair pair) {
        return pem("RSA PRIVATE KEY", pkcs1Of(pair.getPrivate().getEncoded()));
    }

    /** The RSAPrivateKey inside a PKCS#8 PrivateKeyInfo: SEQUENCE { INTEGER, SEQUENCE algId, OCTET STRING key }. */
    static byte[] pkcs1Of(byte[] pkcs8) {
        int[] pos = {0};
        header(pkcs8, pos, 0x30);          // PrivateKeyInfo
        int version = header(pkcs8, pos, 0x02);
        pos[0] += version;
        int algorithm = header(pkcs8, pos, 0x30);
        pos[0] += algorithm;
        int length = header(pkcs8, pos, 0x04);
        return Arrays.copyOfRange(pkcs8, pos[0], pos[0] + length);
    }

    /** Reads a DER tag and length at pos (advancing past them); returns the content length. */
    private static int header(byte[] der, int[] pos, int tag) {
        if ((der[pos[0]++] & 0xff) != tag) {
            throw new IllegalArgumentException("unexpected DER tag");
        }
        int first = der[pos[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int length = 0;
        for (int i = 0; i < (first & 0x7f); i++) {
            length = (length << 8) | (der[pos[0]++] & 0xff);
        }
        return length;
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
            + "\n-----END " + label + "-----\n";
    }
}
