package org.agentplatform.github.github;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Reads a GitHub App's RSA private key from PEM: PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, what GitHub
 * hands out) or PKCS#8 ({@code BEGIN PRIVATE KEY}). Accepts the PEM text itself, the text with literal
 * {@code \n} (as some secret stores flatten it), or a path to a PEM file.
 */
public final class PemKeys {

    private static final String PKCS1 = "RSA PRIVATE KEY";
    private static final String PKCS8 = "PRIVATE KEY";
    /** AlgorithmIdentifier rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters. */
    private static final byte[] RSA_ALGORITHM_ID = {
        0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private PemKeys() {
    }

    public static RSAPrivateKey readRsaPrivateKey(String pemOrPath) {
        String pem = pemOrPath.replace("\\n", "\n").trim();
        if (!pem.contains("-----BEGIN")) {
            try {
                pem = Files.readString(Path.of(pem)).trim();
            } catch (Exception e) {
                throw new IllegalArgumentException("GITHUB_APP_PRIVATE_KEY is neither a PEM private key nor a readable PEM file");
            }
        }
        try {
            byte[] der;
            if (pem.contains("BEGIN " + PKCS1)) {
                der = pkcs1ToPkcs8(base64Between(pem, PKCS1));
            } else if (pem.contains("BEGIN " + PKCS8)) {
                der = base64Between(pem, PKCS8);
            } else {
                throw new IllegalArgumentException("GITHUB_APP_PRIVATE_KEY must be an RSA private key in PEM "
                    + "(BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY); encrypted keys are not supported");
            }
            return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage() != null && iae.getMessage().startsWith("GITHUB_APP")) {
                throw iae;
            }
            throw new IllegalArgumentException("GITHUB_APP_PRIVATE_KEY could not be read as an RSA private key: "
                + e.getClass().getSimpleName());
        }
    }

    private static byte[] base64Between(String pem, String label) {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < 0 || to < from) {
            throw new IllegalArgumentException("GITHUB_APP_PRIVATE_KEY: PEM block " + label + " is not complete");
        }
        return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo: SEQUENCE { 0, rsaEncryption, OCTET STRING pkcs1 }. */
    static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[]{0x02, 0x01, 0x00}); // version 0
        body.writeBytes(RSA_ALGORITHM_ID);
        body.write(0x04);
        body.writeBytes(derLength(pkcs1.length));
        body.writeBytes(pkcs1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        out.writeBytes(derLength(body.size()));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static byte[] derLength(int length) {
        if (length < 0x80) {
            return new byte[]{(byte) length};
        }
        if (length < 0x100) {
            return new byte[]{(byte) 0x81, (byte) length};
        }
        if (length < 0x10000) {
            return new byte[]{(byte) 0x82, (byte) (length >> 8), (byte) length};
        }
        return new byte[]{(byte) 0x83, (byte) (length >> 16), (byte) (length >> 8), (byte) length};
    }
}
