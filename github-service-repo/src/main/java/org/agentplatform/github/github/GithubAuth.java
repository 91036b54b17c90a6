package org.agentplatform.github.github;

import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.agentplatform.github.calls.CallLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which credential the service uses, decided once at start-up:
 * {@code GITHUB_TOKEN} (a personal access or installation token) if set; else a GitHub App
 * ({@code GITHUB_APP_ID} + {@code GITHUB_APP_PRIVATE_KEY}); else dry-run, where nothing is sent.
 * Half an app configuration is a start-up error rather than a silent dry-run.
 */
@Singleton
public class GithubAuth {

    /** The credential in use. */
    public enum Mode { DRY_RUN, TOKEN, APP }

    private static final Logger LOG = LoggerFactory.getLogger(GithubAuth.class);

    private final Mode mode;
    private final GithubConfig config;
    @Nullable
    private final String token;
    @Nullable
    private final AppTokens app;

    public GithubAuth(GithubConfig config, GithubTransport transport, CallLog callLog, JsonMapper json, GithubErrors errors) {
        this.config = config;
        this.token = config.getToken();
        boolean appId = config.getAppId() != null;
        boolean appKey = config.getAppPrivateKey() != null;
        if (token != null) {
            mode = Mode.TOKEN;
            app = null;
        } else if (appId && appKey) {
            mode = Mode.APP;
            app = new AppTokens(config, transport, callLog, json, errors);
        } else if (appId || appKey) {
            throw new IllegalStateException("GitHub App configuration is incomplete: set both GITHUB_APP_ID and "
                + "GITHUB_APP_PRIVATE_KEY (or neither, for dry-run; or GITHUB_TOKEN instead)");
        } else {
            mode = Mode.DRY_RUN;
            app = null;
        }
    }

    public Mode mode() {
        return mode;
    }

    public boolean dryRun() {
        return mode == Mode.DRY_RUN;
    }

    /** The Authorization provider for a call on {@code owner/repo}. Not for dry-run, where nothing is sent. */
    public GithubTransport.Auth authFor(String owner, String repo, CallContext context) {
        return switch (mode) {
            case TOKEN -> () -> "Bearer " + token;
            case APP -> app.authFor(owner, repo, context);
            case DRY_RUN -> throw new IllegalStateException("dry-run sends nothing");
        };
    }

    @EventListener
    void onStartup(StartupEvent event) {
        switch (mode) {
            case DRY_RUN -> LOG.warn("GitHub: DRY-RUN (no GITHUB_TOKEN, no GITHUB_APP_ID/GITHUB_APP_PRIVATE_KEY): calls are "
                + "recorded and answered with synthetic results, nothing is sent to {}", config.getApiUrl());
            case TOKEN -> LOG.info("GitHub: token authentication against {}", config.getApiUrl());
            case APP -> LOG.info("GitHub: GitHub App {} against {} (installation {})", config.getAppId(), config.getApiUrl(),
                config.getAppInstallationId() == null ? "looked up per repository" : config.getAppInstallationId());
        }
    }
}
