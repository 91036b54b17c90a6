package org.agentplatform.github.github;

import io.micronaut.core.annotation.Nullable;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;

/**
 * GitHub's final answer to one logical call, after retries.
 *
 * @param status     HTTP status of the last attempt
 * @param headers    its headers
 * @param body       its body (may be empty)
 * @param attempts   how many tries were made
 * @param durationMs wall time of all tries including back-off
 */
public record GithubResponse(int status, HttpHeaders headers, byte[] body, int attempts, long durationMs) {

    public boolean successful() {
        return status >= 200 && status < 300;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Nullable
    public String header(String name) {
        return headers.firstValue(name).orElse(null);
    }
}
