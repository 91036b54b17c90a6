package org.agentplatform.slack.support;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.agentplatform.slack.config.SlackSettings;
import org.agentplatform.slack.slack.JdkVendorHttp;
import org.agentplatform.slack.slack.VendorHttp;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Test wiring for the Pact provider verification: a consumer's pact names Slack's real
 * response_url host ({@code https://hooks.slack.com/commands/…}); this bean, active only when
 * {@code test.hooks-slack-base} is set, sends such requests to the local WireMock instead, after
 * the service has checked and recorded the real URL. Production code has no such switch.
 */
@Singleton
@Replaces(JdkVendorHttp.class)
@Requires(property = "test.hooks-slack-base")
public class HooksSlackToLoopback implements VendorHttp {

    private final JdkVendorHttp delegate;
    private final String base;

    public HooksSlackToLoopback(SlackSettings settings, @Value("${test.hooks-slack-base}") String base) {
        this.delegate = new JdkVendorHttp(settings);
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    @Override
    public Response send(String method, URI uri, Map<String, String> headers, @Nullable String body, Duration timeout)
            throws IOException {
        URI target = uri;
        if ("hooks.slack.com".equalsIgnoreCase(uri.getHost())) {
            target = URI.create(base + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        }
        return delegate.send(method, target, headers, body, timeout);
    }
}
