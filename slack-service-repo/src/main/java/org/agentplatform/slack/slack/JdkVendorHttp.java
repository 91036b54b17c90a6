package org.agentplatform.slack.slack;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.agentplatform.slack.config.SlackSettings;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link VendorHttp} on the JDK's HTTP client: HTTP/1.1, redirects never followed (a response_url
 * must not bounce us elsewhere), connect timeout from {@code slack.connect-timeout}.
 */
@Singleton
public class JdkVendorHttp implements VendorHttp {

    private final HttpClient client;

    public JdkVendorHttp(SlackSettings settings) {
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.getConnectTimeout())
                .build();
    }

    @Override
    public Response send(String method, URI uri, Map<String, String> headers, @Nullable String body, Duration timeout)
            throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            Map<String, List<String>> lowerCased = new TreeMap<>();
            response.headers().map().forEach((name, values) -> lowerCased.put(name.toLowerCase(Locale.ROOT), values));
            return new Response(response.statusCode(), lowerCased, response.body() == null ? "" : response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException("interrupted while calling " + uri.getHost());
            interrupted.initCause(e);
            throw interrupted;
        }
    }
}
