package org.agentplatform.slack.slack;

import io.micronaut.core.annotation.Nullable;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request to Slack (a POST to the Web API or a response_url, a GET of a Web API listing); the seam
 * tests and the Pact verification use.
 */
public interface VendorHttp {

    /**
     * Sends one request ({@code GET} without a body, or {@code POST}) and returns whatever answer came (any status).
     *
     * @throws IOException when no answer came: connection refused or reset, timeout
     */
    Response send(String method, URI uri, Map<String, String> headers, @Nullable String body, Duration timeout)
            throws IOException;

    /** An HTTP answer: status, headers (names lower case) and body text. */
    record Response(int status, Map<String, List<String>> headers, String body) {

        public Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }
    }
}
