package org.agentplatform.github.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

import java.util.HashMap;
import java.util.Map;

/**
 * Base of the service tests: the real service over HTTP, its own database (embedded PostgreSQL) and a
 * fake GitHub (WireMock) at GITHUB_API_URL. Subclasses add {@code @MicronautTest(transactional = false)}
 * and their own settings (credentials, retry timings) in {@link #settings()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ServiceTestBase implements TestPropertyProvider {

    public static final String GATEWAY_TOKEN = "gw-test-token";
    public static final String AGENT_TOKEN = "agent-test-token";

    protected WireMockServer github;

    @Inject
    protected EmbeddedServer server;

    @Inject
    protected JsonMapper jsonMapper;

    /** Settings of this test class on top of the common ones. */
    protected Map<String, String> settings() {
        return Map.of();
    }

    @Override
    public Map<String, String> getProperties() {
        github = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        github.start();
        Map<String, String> properties = new HashMap<>();
        properties.put("datasources.default.url", TestPostgres.newDatabase());
        properties.put("datasources.default.username", "postgres");
        properties.put("datasources.default.password", "");
        properties.put("github.api-url", github.baseUrl());
        properties.put("service.tokens", "gateway:" + GATEWAY_TOKEN + ",agent:" + AGENT_TOKEN);
        // fast retries so failure paths take milliseconds; Retry-After still decides when given
        properties.put("github.retry-base-delay", "20ms");
        properties.put("github.retry-max-delay", "100ms");
        properties.put("github.retry-max-total-wait", "5s");
        properties.put("github.idempotency-wait", "5s");
        properties.putAll(settings());
        return properties;
    }

    /** A client for the service that sends the agent's service token. */
    protected Api api() {
        return new Api(server.getURL().toString(), jsonMapper).withHeader("Authorization", "Bearer " + AGENT_TOKEN);
    }

    /** A client without a service token. */
    protected Api anonymous() {
        return new Api(server.getURL().toString(), jsonMapper);
    }

    @AfterAll
    void stopFakeGithub() {
        if (github != null) {
            github.stop();
        }
    }
}
