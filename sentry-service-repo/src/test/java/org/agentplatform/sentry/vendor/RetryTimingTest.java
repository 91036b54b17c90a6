package org.agentplatform.sentry.vendor;

import org.agentplatform.sentry.config.SentryConfig;
import org.junit.jupiter.api.Test;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How long to wait before the next attempt: Retry-After, Sentry's rate-limit reset, backoff. */
class RetryTimingTest {

    private static final Instant NOW = Instant.parse("2026-11-26T08:00:00Z");

    private static HttpHeaders headers(String... nameValue) {
        Map<String, List<String>> map = new java.util.HashMap<>();
        for (int i = 0; i + 1 < nameValue.length; i += 2) {
            map.put(nameValue[i], List.of(nameValue[i + 1]));
        }
        return HttpHeaders.of(map, (a, b) -> true);
    }

    @Test
    void retryAfterInSeconds() {
        assertEquals(Optional.of(Duration.ofSeconds(7)), SentryClient.retryAfter(429, headers("Retry-After", "7"), NOW));
        assertEquals(Optional.of(Duration.ofMillis(1500)),
                SentryClient.retryAfter(503, headers("Retry-After", "1.5"), NOW));
    }

    @Test
    void retryAfterAsHttpDate() {
        assertEquals(Optional.of(Duration.ofSeconds(30)),
                SentryClient.retryAfter(503, headers("Retry-After", "Thu, 26 Nov 2026 08:00:30 GMT"), NOW));
        assertEquals(Optional.of(Duration.ZERO),
                SentryClient.retryAfter(503, headers("Retry-After", "Thu, 26 Nov 2026 07:59:00 GMT"), NOW));
    }

    @Test
    void sentryRateLimitResetOn429Only() {
        String reset = String.valueOf(NOW.getEpochSecond() + 12);
        assertEquals(Optional.of(Duration.ofSeconds(12)),
                SentryClient.retryAfter(429, headers("X-Sentry-Rate-Limit-Reset", reset), NOW));
        assertEquals(Optional.empty(),
                SentryClient.retryAfter(503, headers("X-Sentry-Rate-Limit-Reset", reset), NOW));
        assertEquals(Optional.empty(), SentryClient.retryAfter(429, headers("Retry-After", "soon"), NOW));
        assertEquals(Optional.empty(), SentryClient.retryAfter(500, headers(), NOW));
    }

    @Test
    void backoffGrowsExponentiallyWithJitterAndIsCapped() {
        SentryConfig config = new SentryConfig();
        config.setRetryBaseDelay(Duration.ofMillis(100));
        config.setRetryMaxDelay(Duration.ofMillis(1000));
        SentryClient client = new SentryClient(config, null);
        for (int i = 0; i < 50; i++) {
            long first = client.backoff(1).toMillis();
            long third = client.backoff(3).toMillis();
            long tenth = client.backoff(10).toMillis();
            assertTrue(first >= 50 && first <= 100, "attempt 1: " + first);
            assertTrue(third >= 200 && third <= 400, "attempt 3: " + third);
            assertTrue(tenth >= 500 && tenth <= 1000, "attempt 10 capped: " + tenth);
        }
    }
}
