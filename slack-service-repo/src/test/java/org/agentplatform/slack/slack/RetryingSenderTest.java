package org.agentplatform.slack.slack;

import org.agentplatform.slack.config.SlackSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Retry-After parsing and the backoff bounds, without a server. */
class RetryingSenderTest {

    private static VendorHttp.Response withRetryAfter(String value) {
        return new VendorHttp.Response(429, Map.of("retry-after", List.of(value)), "");
    }

    @Test
    void retryAfterInSeconds() {
        assertThat(RetryingSender.retryAfter(withRetryAfter("30"))).contains(Duration.ofSeconds(30));
        assertThat(RetryingSender.retryAfter(withRetryAfter(" 0 "))).contains(Duration.ZERO);
    }

    @Test
    void retryAfterAsAnHttpDate() {
        String inTenSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(10));
        assertThat(RetryingSender.retryAfter(withRetryAfter(inTenSeconds)))
                .hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ofSeconds(7), Duration.ofSeconds(10)));
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).minusSeconds(100));
        assertThat(RetryingSender.retryAfter(withRetryAfter(past))).contains(Duration.ZERO);
    }

    @Test
    void unreadableOrMissingRetryAfterIsIgnored() {
        assertThat(RetryingSender.retryAfter(withRetryAfter("soon"))).isEmpty();
        assertThat(RetryingSender.retryAfter(new VendorHttp.Response(429, Map.of(), ""))).isEmpty();
    }

    @Test
    void backoffDoublesWithJitterAndIsCapped() {
        SlackSettings settings = new SlackSettings();
        settings.setBackoffInitial(Duration.ofMillis(100));
        settings.setBackoffMax(Duration.ofMillis(1000));
        RetryingSender sender = new RetryingSender((method, uri, headers, body, timeout) -> {
            throw new AssertionError("not called");
        }, settings);
        for (int i = 0; i < 50; i++) {
            assertThat(sender.backoff(1).toMillis()).isBetween(50L, 100L);
            assertThat(sender.backoff(2).toMillis()).isBetween(100L, 200L);
            assertThat(sender.backoff(3).toMillis()).isBetween(200L, 400L);
            assertThat(sender.backoff(10).toMillis()).isBetween(500L, 1000L);
        }
    }

    @Test
    void onlyRateLimitsAndServerErrorsAreTransientByStatus() {
        assertThat(RetryingSender.httpStatusOnly(new VendorHttp.Response(429, Map.of(), ""))).isPresent();
        assertThat(RetryingSender.httpStatusOnly(new VendorHttp.Response(503, Map.of(), ""))).isPresent();
        assertThat(RetryingSender.httpStatusOnly(new VendorHttp.Response(404, Map.of(), ""))).isEmpty();
        assertThat(RetryingSender.httpStatusOnly(new VendorHttp.Response(200, Map.of(), ""))).isEmpty();
    }

    @Test
    void onlyAFailureAfterSendingCountsAsALostAnswer() {
        // refused, unresolved, no connection in time: Slack never saw it, sending again is safe
        assertThat(RetryingSender.mayHaveArrived(new java.net.ConnectException("refused"))).isFalse();
        assertThat(RetryingSender.mayHaveArrived(new java.net.http.HttpConnectTimeoutException("connect"))).isFalse();
        assertThat(RetryingSender.mayHaveArrived(new java.net.UnknownHostException("slack.invalid"))).isFalse();
        // timed out waiting for the answer, connection lost after sending: Slack may have done it
        assertThat(RetryingSender.mayHaveArrived(new java.net.http.HttpTimeoutException("request timed out"))).isTrue();
        assertThat(RetryingSender.mayHaveArrived(new java.io.IOException("Connection reset"))).isTrue();
    }

    @Test
    void noAnswerIsDescribedWithoutExceptionNames() {
        assertThat(RetryingSender.describe(new java.net.http.HttpTimeoutException("request timed out"), Duration.ofSeconds(2)))
                .isEqualTo("timed out after SLACK_REQUEST_TIMEOUT (2000 ms)");
        assertThat(RetryingSender.describe(new java.io.IOException("Connection reset"), Duration.ofSeconds(2)))
                .isEqualTo("connection lost (Connection reset)");
    }
}
