package org.agentplatform.github;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.agentplatform.github.support.Api;
import org.agentplatform.github.support.RsaKeys;
import org.agentplatform.github.support.ServiceTestBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * GitHub App credentials (a PKCS#1 key, as GitHub issues them): the app JWT, the installation lookup, the
 * installation token minted once and cached, re-minted near expiry and after a 401.
 */
@MicronautTest(transactional = false)
class GithubAppAuthTest extends ServiceTestBase {

    private static final String APP_ID = "123456";
    private static final KeyPair KEYS = RsaKeys.generate();

    @Override
    protected Map<String, String> settings() {
        return Map.of("github.app-id", APP_ID, "github.app-private-key", RsaKeys.pkcs1Pem(KEYS));
    }

    @BeforeEach
    void resetFakeGithub() {
        github.resetAll();
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    private void stubInstallation(String repo, long installationId, String token, Duration validFor) {
        github.stubFor(WireMock.get(urlPathEqualTo("/repos/octo/" + repo + "/installation"))
            .willReturn(json(200, "{\"id\": " + installationId + ", \"app_id\": " + APP_ID + "}")));
        github.stubFor(post(urlPathEqualTo("/app/installations/" + installationId + "/access_tokens"))
            .willReturn(json(201, "{\"token\": \"" + token + "\", \"expires_at\": \"" + Instant.now().plus(validFor) + "\"}")));
        github.stubFor(post(urlPathEqualTo("/repos/octo/" + repo + "/issues/1/comments"))
            .withHeader("Authorization", equalTo("Bearer " + token))
            .willReturn(json(201, "{\"id\": 1001}")));
    }

    private Api.Response comment(String repo) {
        return api().post("/api/v1/github/issues/octo/" + repo + "/1/comment", "{\"body\": \"from the app\"}");
    }

    @Test
    void installationTokenIsMintedOnceWithAValidAppJwtAndReused() throws Exception {
        stubInstallation("hello", 4242, "ghs_cached_token", Duration.ofHours(1));

        for (int i = 0; i < 3; i++) {
            Api.Response r = comment("hello");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.getLong("comment_id")).isEqualTo(1001);
        }

        github.verify(1, getRequestedFor(urlPathEqualTo("/repos/octo/hello/installation")));
        github.verify(1, postRequestedFor(urlPathEqualTo("/app/installations/4242/access_tokens"))
            .withHeader("Accept", equalTo("application/vnd.github+json"))
            .withHeader("X-GitHub-Api-Version", equalTo("2022-11-28")));
        github.verify(3, postRequestedFor(urlPathEqualTo("/repos/octo/hello/issues/1/comments"))
            .withHeader("Authorization", equalTo("Bearer ghs_cached_token")));

        for (String path : List.of("/app/installations/4242/access_tokens", "/repos/octo/hello/installation")) {
            ServeEvent event = github.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals(path)).findFirst().orElseThrow();
            String authorization = event.getRequest().getHeader("Authorization");
            assertThat(authorization).startsWith("Bearer ");
            SignedJWT jwt = SignedJWT.parse(authorization.substring("Bearer ".length()));
            assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
            assertThat(jwt.verify(new RSASSAVerifier((RSAPublicKey) KEYS.getPublic()))).as("signed with the app's key").isTrue();
            assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo(APP_ID);
            Instant iat = jwt.getJWTClaimsSet().getIssueTime().toInstant();
            Instant exp = jwt.getJWTClaimsSet().getExpirationTime().toInstant();
            assertThat(iat).isBefore(Instant.now().minusSeconds(30));
            assertThat(exp).isAfter(Instant.now());
            assertThat(Duration.between(iat, exp)).isLessThanOrEqualTo(Duration.ofMinutes(10));
        }

        Api.Response calls = api().get("/api/v1/github/calls?size=200");
        assertThat(calls.list("items")).extracting(c -> c.get("operation"))
            .contains("getRepoInstallation", "createInstallationToken", "postIssueComment");
        assertThat(calls.body()).doesNotContain("ghs_cached_token");
    }

    @Test
    void aTokenAboutToExpireIsMintedAgain() {
        stubInstallation("soon", 4343, "ghs_short_lived", Duration.ofMinutes(2));

        assertThat(comment("soon").status()).isEqualTo(200);
        assertThat(comment("soon").status()).isEqualTo(200);

        github.verify(1, getRequestedFor(urlPathEqualTo("/repos/octo/soon/installation")));
        github.verify(2, postRequestedFor(urlPathEqualTo("/app/installations/4343/access_tokens")));
    }

    @Test
    void aRevokedTokenIsReplacedOnce() {
        stubInstallation("revoked", 4444, "ghs_revoked", Duration.ofHours(1));
        assertThat(comment("revoked").status()).isEqualTo(200);
        // the cached token is revoked: GitHub answers 401 to it; the next mint gives a new one
        github.stubFor(post(urlPathEqualTo("/repos/octo/revoked/issues/1/comments"))
            .withHeader("Authorization", equalTo("Bearer ghs_revoked")).willReturn(json(401, "{\"message\": \"Bad credentials\"}")));
        github.stubFor(post(urlPathEqualTo("/app/installations/4444/access_tokens")).inScenario("remint")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(json(201, "{\"token\": \"ghs_fresh\", \"expires_at\": \"" + Instant.now().plusSeconds(3600) + "\"}")));
        github.stubFor(post(urlPathEqualTo("/repos/octo/revoked/issues/1/comments"))
            .withHeader("Authorization", equalTo("Bearer ghs_fresh")).willReturn(json(201, "{\"id\": 1002}")));

        Api.Response r = comment("revoked");

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.getLong("comment_id")).isEqualTo(1002);
        github.verify(2, postRequestedFor(urlPathEqualTo("/app/installations/4444/access_tokens")));
    }

    @Test
    void anAppNotInstalledOnTheRepositoryIs502NamingTheFix() {
        github.stubFor(WireMock.get(urlPathEqualTo("/repos/octo/elsewhere/installation"))
            .willReturn(json(404, "{\"message\": \"Not Found\"}")));

        Api.Response r = comment("elsewhere");

        assertThat(r.status()).isEqualTo(502);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat((String) r.get("detail")).contains("install the app").contains("GITHUB_APP_INSTALLATION_ID");
        github.verify(0, postRequestedFor(urlPathEqualTo("/repos/octo/elsewhere/issues/1/comments")));
    }
}
