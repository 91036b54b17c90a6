package org.agentplatform.github.github;

import org.agentplatform.github.support.RsaKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateKey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PemKeysTest {

    private static final KeyPair KEYS = RsaKeys.generate();

    @Test
    void readsPkcs1AndPkcs8ToTheSameKey() {
        RSAPrivateKey fromPkcs1 = PemKeys.readRsaPrivateKey(RsaKeys.pkcs1Pem(KEYS));
        RSAPrivateKey fromPkcs8 = PemKeys.readRsaPrivateKey(RsaKeys.pkcs8Pem(KEYS));
        assertThat(fromPkcs1.getEncoded()).isEqualTo(KEYS.getPrivate().getEncoded());
        assertThat(fromPkcs8.getEncoded()).isEqualTo(KEYS.getPrivate().getEncoded());
    }

    @Test
    void acceptsEscapedNewlinesAndAFilePath(@TempDir Path dir) throws Exception {
        String flattened = RsaKeys.pkcs1Pem(KEYS).replace("\n", "\\n");
        assertThat(PemKeys.readRsaPrivateKey(flattened).getEncoded()).isEqualTo(KEYS.getPrivate().getEncoded());
        Path file = dir.resolve("app.pem");
        Files.writeString(file, RsaKeys.pkcs8Pem(KEYS));
        assertThat(PemKeys.readRsaPrivateKey(file.toString()).getEncoded()).isEqualTo(KEYS.getPrivate().getEncoded());
    }

    @Test
    void rejectsWhatIsNotAnRsaKeyWithoutEchoingIt() {
        assertThatThrownBy(() -> PemKeys.readRsaPrivateKey("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GITHUB_APP_PRIVATE_KEY");
        assertThatThrownBy(() -> PemKeys.readRsaPrivateKey("-----BEGIN RSA PRIVATE KEY-----\nbm90IGEga2V5\n-----END RSA PRIVATE KEY-----"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("bm90IGEga2V5");
        assertThatThrownBy(() -> PemKeys.readRsaPrivateKey("s3cr3t-not-a-path"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("s3cr3t");
    }
}
