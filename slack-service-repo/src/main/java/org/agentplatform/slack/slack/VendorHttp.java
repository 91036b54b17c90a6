package org.agentplatform.slack.slack;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** One HTTP POST to Slack (Web API or a response_url); the seam tests and the Pact verification use. */
public interface VendorHttp {

    /**
     * Sends one request and returns whatever answer came (any status).
     *
     * @throws IOException when no answer came: connection refused or reset, timeout
     */
    Response post(URI uri, Map<String, String> headers, String body, Duration timeout) throws IOException;

    /** An HTTP answer: status, headers (names lower case) and body text. */
    record Response(int status, Map<String, List<String>> headers, String body) {

        public Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }
    }
}
