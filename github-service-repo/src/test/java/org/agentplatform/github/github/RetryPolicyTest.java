package org.agentplatform.github.github;

import org.junit.jupiter.api.Test;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    private static HttpHeaders headers(String... pairs) {
        Map<String, List<String>> map = new java.util.HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], List.of(pairs[i + 1]));
        }
        return HttpHeaders.of(map, (a, b) -> true);
    }

    @Test
    void whatIsRetried() {
        assertThat(RetryPolicy.retryable(500, headers())).isTrue();
        assertThat(RetryPolicy.retryable(502, headers())).isTrue();
        assertThat(RetryPolicy.retryable(429, headers())).isTrue();
        assertThat(RetryPolicy.retryable(403, headers("x-ratelimit-remaining", "0"))).isTrue();
        assertThat(RetryPolicy.retryable(403, headers("retry-after", "30"))).as("secondary rate limit").isTrue();
        assertThat(RetryPolicy.retryable(403, headers("x-ratelimit-remaining", "12"))).isFalse();
        assertThat(RetryPolicy.retryable(401, headers())).isFalse();
        assertThat(RetryPolicy.retryable(404, headers())).isFalse();
        assertThat(RetryPolicy.retryable(422, headers())).isFalse();
    }

    @Test
    void retryAfterInSecondsOrAsHttpDate() {
        assertThat(RetryPolicy.parseRetryAfter("120", NOW)).contains(Duration.ofSeconds(120));
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(90).atOffset(ZoneOffset.UTC));
        assertThat(RetryPolicy.parseRetryAfter(date, NOW)).contains(Duration.ofSeconds(90));
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.minusSeconds(90).atOffset(ZoneOffset.UTC));
        assertThat(RetryPolicy.parseRetryAfter(past, NOW)).contains(Duration.ZERO);
        assertThat(RetryPolicy.parseRetryAfter("soon", NOW)).isEmpty();
        assertThat(RetryPolicy.parseRetryAfter(null, NOW)).isEmpty();
    }

    @Test
    void serverDelayPrefersRetryAfterThenRateLimitReset() {
        assertThat(RetryPolicy.serverDelay(429, headers("retry-after", "7", "x-ratelimit-remaining", "0",
            "x-ratelimit-reset", Long.toString(NOW.getEpochSecond() + 600)), NOW)).contains(Duration.ofSeconds(7));
        assertThat(RetryPolicy.serverDelay(403, headers("x-ratelimit-remaining", "0",
            "x-ratelimit-reset", Long.toString(NOW.getEpochSecond() + 600)), NOW)).contains(Duration.ofSeconds(601));
        assertThat(RetryPolicy.serverDelay(503, headers(), NOW)).isEmpty();
    }

    @Test
    void backoffGrowsExponentiallyWithJitterUpToTheCap() {
        RetryPolicy policy = new RetryPolicy(6, Duration.ofMillis(100), Duration.ofMillis(1000), Duration.ofSeconds(30));
        for (int i = 0; i < 50; i++) {
            assertThat(policy.backoff(1).toMillis()).isBetween(50L, 100L);
            assertThat(policy.backoff(2).toMillis()).isBetween(100L, 200L);
            assertThat(policy.backoff(3).toMillis()).isBetween(200L, 400L);
            assertThat(policy.backoff(5).toMillis()).isBetween(500L, 1000L);
            assertThat(policy.backoff(40).toMillis()).isBetween(500L, 1000L);
        }
        long distinct = java.util.stream.IntStream.range(0, 50).mapToObj(i -> policy.backoff(3)).distinct().count();
        assertThat(distinct).as("jitter").isGreaterThan(1);
    }
}
