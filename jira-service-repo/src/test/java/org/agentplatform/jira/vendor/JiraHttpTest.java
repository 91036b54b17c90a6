package org.agentplatform.jira.vendor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.Test;

class JiraHttpTest {

    @Test
    void retryAfter_secondsOrHttpDate() {
        assertEquals(Duration.ofSeconds(120), JiraHttp.parseRetryAfter("120").orElseThrow());
        assertEquals(Duration.ZERO, JiraHttp.parseRetryAfter("-3").orElseThrow());
        String in90s = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(90));
        long seconds = JiraHttp.parseRetryAfter(in90s).orElseThrow().toSeconds();
        assertTrue(seconds >= 85 && seconds <= 90, "got " + seconds);
        assertFalse(JiraHttp.parseRetryAfter("soon").isPresent());
    }

    @Test
    void rateLimitReset_inAtlassiansFormat() {
        // "yyyy-MM-ddTHH:mmZ" as https://developer.atlassian.com/cloud/jira/platform/rate-limiting/ documents it
        OffsetDateTime at = JiraHttp.parseReset("2026-11-26T14:30Z").orElseThrow();
        assertEquals(OffsetDateTime.of(2026, 11, 26, 14, 30, 0, 0, ZoneOffset.UTC), at);
        OffsetDateTime precise = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        assertEquals(precise, JiraHttp.parseReset(precise.toString()).orElseThrow());
        assertFalse(JiraHttp.parseReset("tomorrow").isPresent());
    }

    @Test
    void backoff_growsExponentiallyWithJitter_andIsCapped() {
        JiraSettings settings = new JiraSettings();
        settings.setRetryBaseDelay(Duration.ofMillis(500));
        settings.setRetryMaxDelay(Duration.ofSeconds(30));
        JiraHttp http = new JiraHttp(settings, new Sleeper());
        for (int i = 0; i < 200; i++) {
            long first = http.backoff(1).toMillis();
            long fourth = http.backoff(4).toMillis();
            long tenth = http.backoff(10).toMillis();
            assertTrue(first >= 250 && first <= 500, "attempt 1: " + first);
            assertTrue(fourth >= 2000 && fourth <= 4000, "attempt 4: " + fourth);
            assertTrue(tenth >= 15000 && tenth <= 30000, "attempt 10: " + tenth);
        }
    }

    @Test
    void whatIsRetried() {
        assertTrue(JiraHttp.retryable(429));
        assertTrue(JiraHttp.retryable(500));
        assertTrue(JiraHttp.retryable(503));
        assertFalse(JiraHttp.retryable(400));
        assertFalse(JiraHttp.retryable(401));
        assertFalse(JiraHttp.retryable(404));
    }

    @Test
    void whatMayHaveReachedJira_whenNoAnswerCame() {
        assertTrue(JiraHttp.mayHaveArrived(new java.net.http.HttpTimeoutException("request timed out")));
        assertTrue(JiraHttp.mayHaveArrived(new java.io.IOException("Connection reset")));
        assertFalse(JiraHttp.mayHaveArrived(new java.net.ConnectException("Connection refused")));
        assertFalse(JiraHttp.mayHaveArrived(new java.net.http.HttpConnectTimeoutException("connect timed out")));
    }

    @Test
    void dryRunMode_followsTheCredentials() {
        JiraSettings settings = new JiraSettings();
        assertTrue(settings.isDryRunMode());
        assertEquals(java.util.List.of("JIRA_BASE_URL", "JIRA_EMAIL", "JIRA_API_TOKEN"), settings.missing());
        settings.setBaseUrl("https://example.atlassian.net/");
        settings.setEmail("bot@example.com");
        settings.setApiToken("t");
        assertEquals("https://example.atlassian.net", settings.getBaseUrl());
        assertFalse(settings.isDryRunMode());
        settings.setDryRun("true");
        assertTrue(settings.isDryRunMode());
        settings.setDryRun("false");
        settings.setApiToken("");
        org.junit.jupiter.api.Assertions.assertThrows(io.micronaut.context.exceptions.ConfigurationException.class,
                settings::isDryRunMode);
    }
}
