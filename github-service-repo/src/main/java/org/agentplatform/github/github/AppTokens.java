package org.agentplatform.github.github;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import org.agentplatform.github.calls.CallLog;
import org.agentplatform.github.calls.CallRecord;
import org.agentplatform.github.web.ApiProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * GitHub App authentication: an RS256 JWT signed with the app's private key ({@code iat} 60 s in the past
 * for clock drift, {@code exp} 9 minutes ahead, {@code iss} the app id) buys an installation access token
 * ({@code POST /app/installations/{id}/access_tokens}), which is cached until shortly before its
 * {@code expires_at}. The installation is {@code GITHUB_APP_INSTALLATION_ID}, or looked up per repository
 * ({@code GET /repos/{owner}/{repo}/installation}) and remembered. Both calls are recorded in the call log.
 * One token is minted at a time per installation, however many requests need it at once.
 */
public class AppTokens {

    private static final Logger LOG = LoggerFactory.getLogger(AppTokens.class);
    static final Duration JWT_BACKDATE = Duration.ofSeconds(60);
    static final Duration JWT_LIFETIME = Duration.ofMinutes(9);

    private record Token(String value, Instant expiresAt) {
    }

    private final String appId;
    private final RSAPrivateKey privateKey;
    @Nullable
    private final Long fixedInstallationId;
    private final Duration refreshMargin;
    private final GithubTransport transport;
    private final CallLog callLog;
    private final JsonMapper json;
    private final GithubErrors errors;
    private final Map<Long, Token> tokens = new ConcurrentHashMap<>();
    private final Map<Long, Object> mintLocks = new ConcurrentHashMap<>();
    private final Map<String, Long> installations = new ConcurrentHashMap<>();

    public AppTokens(GithubConfig config, GithubTransport transport, CallLog callLog, JsonMapper json, GithubErrors errors) {
        this.appId = config.getAppId();
        this.privateKey = PemKeys.readRsaPrivateKey(config.getAppPrivateKey());
        this.fixedInstallationId = parseInstallationId(config.getAppInstallationId());
        this.refreshMargin = config.getTokenRefreshMargin();
        this.transport = transport;
        this.callLog = callLog;
        this.json = json;
        this.errors = errors;
    }

    /** The Authorization provider for calls on one repository. */
    public GithubTransport.Auth authFor(String owner, String repo, CallContext context) {
        return new GithubTransport.Auth() {
            @Override
            public String authorization() {
                return "Bearer " + installationToken(owner, repo, context);
            }

            @Override
            public boolean renew() {
                Long id = installationIdIfKnown(owner, repo);
                if (id != null) {
                    tokens.remove(id);
                }
                return true;
            }
        };
    }

    String installationToken(String owner, String repo, CallContext context) {
        long installationId = installationId(owner, repo, context);
        Token token = tokens.get(installationId);
        if (fresh(token)) {
            return token.value();
        }
        synchronized (mintLocks.computeIfAbsent(installationId, id -> new Object())) {
            token = tokens.get(installationId);
            if (fresh(token)) {
                return token.value();
            }
            token = mint(installationId, context);
            tokens.put(installationId, token);
            return token.value();
        }
    }

    /** A new app JWT (public for tests and diagnostics; it is never logged). */
    public String appJwt() {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
            .issuer(appId)
            .issueTime(Date.from(now.minus(JWT_BACKDATE)))
            .expirationTime(Date.from(now.plus(JWT_LIFETIME)))
            .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(privateKey));
        } catch (JOSEException e) {
            throw new IllegalStateException("Could not sign the GitHub App JWT", e);
        }
        return jwt.serialize();
    }

    private boolean fresh(@Nullable Token token) {
        return token != null && Instant.now().plus(refreshMargin).isBefore(token.expiresAt());
    }

    private Token mint(long installationId, CallContext context) {
        String path = "/app/installations/" + installationId + "/access_tokens";
        JsonNode body = appCall("createInstallationToken", "POST", path, context,
            "the GitHub App's installation " + installationId);
        String value = text(body, "token");
        String expiresAt = text(body, "expires_at");
        if (value == null || expiresAt == null) {
            throw new ApiProblem(HttpStatus.BAD_GATEWAY, "GitHub's answer to " + path + " has no token or expires_at");
        }
        Instant expiry = OffsetDateTime.parse(expiresAt).toInstant();
        LOG.info("GitHub App {}: installation {} token minted, expires at {}", appId, installationId, expiry);
        return new Token(value, expiry);
    }

    private long installationId(String owner, String repo, CallContext context) {
        if (fixedInstallationId != null) {
            return fixedInstallationId;
        }
        String key = key(owner, repo);
        Long known = installations.get(key);
        if (known != null) {
            return known;
        }
        String path = "/repos/" + owner + "/" + repo + "/installation";
        JsonNode body = appCall("getRepoInstallation", "GET", path, context, "the GitHub App on " + owner + "/" + repo);
        JsonNode id = body.get("id");
        if (id == null || !id.isNumber()) {
            throw new ApiProblem(HttpStatus.BAD_GATEWAY, "GitHub's answer to " + path + " has no installation id");
        }
        installations.put(key, id.getLongValue());
        return id.getLongValue();
    }

    @Nullable
    private Long installationIdIfKnown(String owner, String repo) {
        return fixedInstallationId != null ? fixedInstallationId : installations.get(key(owner, repo));
    }

    /** A recorded call authenticated with the app JWT; non-2xx becomes a 502 problem naming the likely fix. */
    private JsonNode appCall(String operation, String method, String path, CallContext context, String what) {
        long id = callLog.begin(CallRecord.start(operation, method, transport.url(path), null, false, null, null,
            context.correlationId(), context.caller()));
        String jwt = appJwt();
        GithubResponse response;
        try {
            response = transport.send(method, path, null, () -> "Bearer " + jwt);
        } catch (GithubUnreachableException e) {
            callLog.failed(id, null, e.durationMs(), e.attempts(), e.getMessage());
            throw new ApiProblem(HttpStatus.BAD_GATEWAY, e.getMessage() + " (GitHub App authentication)");
        }
        if (!response.successful()) {
            ApiProblem problem = appProblem(response, path, what);
            callLog.failed(id, response.status(), response.durationMs(), response.attempts(), problem.detail());
            throw problem;
        }
        callLog.succeeded(id, response.status(), null, response.durationMs(), response.attempts(), null);
        try {
            return json.readValue(response.body(), JsonNode.class);
        } catch (IOException e) {
            throw new ApiProblem(HttpStatus.BAD_GATEWAY, "GitHub's answer to " + path + " is not JSON");
        }
    }

    private ApiProblem appProblem(GithubResponse response, String path, String what) {
        String message = errors.githubMessage(response);
        int status = response.status();
        if (RetryPolicy.isRateLimited(status, response.headers())) {
            return errors.rateLimited(response, path);
        }
        String fix = switch (status) {
            case 401 -> "GitHub did not accept the app JWT: check GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY "
                + "(the key of that app) and that this machine's clock is right";
            case 403 -> "GitHub refused " + what + ": check the app's permissions and that the installation is not suspended";
            case 404 -> "GitHub does not know " + what + ": install the app on the repository (or set GITHUB_APP_INSTALLATION_ID "
                + "to an installation that covers it)";
            default -> "GitHub App authentication failed";
        };
        return new ApiProblem(HttpStatus.BAD_GATEWAY, "GitHub answered " + status + (message.isEmpty() ? "" : " " + message)
            + " for " + path.substring(1) + ": " + fix);
    }

    @Nullable
    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() ? value.getStringValue() : null;
    }

    private static String key(String owner, String repo) {
        return (owner + "/" + repo).toLowerCase(Locale.ROOT);
    }

    @Nullable
    private static Long parseInstallationId(@Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("GITHUB_APP_INSTALLATION_ID must be a number, not '" + value + "'");
        }
    }
}
