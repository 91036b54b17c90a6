package org.agentplatform.slack.slack;

import jakarta.inject.Singleton;
import org.agentplatform.slack.config.SlackSettings;
import org.agentplatform.slack.web.ProblemException;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * SSRF guard for slash-command {@code response_url}s: the service only POSTs to hosts listed in
 * {@code SLACK_RESPONSE_URL_HOSTS} (default {@code hooks.slack.com}), over https on the default
 * port, without user info; plain http is accepted for a listed loopback host only (a local fake
 * Slack in tests). Redirects are never followed (see {@link JdkVendorHttp}).
 */
@Singleton
public class ResponseUrlGuard {

    static final String FIELD = "response_url";

    private final SlackSettings settings;

    public ResponseUrlGuard(SlackSettings settings) {
        this.settings = settings;
    }

    public URI check(URI uri) {
        if (uri == null) {
            throw ProblemException.invalid(FIELD, "must not be null");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || host == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw ProblemException.invalid(FIELD, "must be an absolute https URL (a Slack response_url)");
        }
        if (uri.getRawUserInfo() != null) {
            throw ProblemException.invalid(FIELD, "must not carry user information");
        }
        List<String> allowed = settings.responseUrlHostList();
        if (!allowed.contains(host)) {
            throw ProblemException.invalid(FIELD, "host " + host + " is not allowed: SLACK_RESPONSE_URL_HOSTS lists the hosts a"
                    + " response_url may point at (now: " + String.join(",", allowed) + ")");
        }
        boolean loopback = isLoopback(host);
        if (!loopback && !scheme.equals("https")) {
            throw ProblemException.invalid(FIELD, "must use https");
        }
        if (!loopback && uri.getPort() != -1 && uri.getPort() != 443) {
            throw ProblemException.invalid(FIELD, "must use the default https port");
        }
        return uri;
    }

    static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
    }

    /** The URL as the call log shows it: the last path segment is the secret part, so it is masked. */
    public static String redact(URI uri) {
        String text = uri.toString();
        int query = text.indexOf('?');
        if (query >= 0) {
            text = text.substring(0, query);
        }
        int slash = text.lastIndexOf('/');
        if (slash < 0 || slash == text.length() - 1 || slash < text.indexOf("//") + 2) {
            return text;
        }
        return text.substring(0, slash + 1) + "***";
    }
}
