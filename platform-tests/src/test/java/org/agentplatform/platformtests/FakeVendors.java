package org.agentplatform.platformtests;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

/**
 * Slack's Web API and response_url, Jira Cloud REST v3 and the Sentry API on the one fake vendor
 * server, each under its own prefix, answering with the vendors' documented examples
 * (src/test/resources/README.md names the sources).
 */
final class FakeVendors {
    static final String SLACK_API = "/slack/api";
    static final String SLACK_RESPONSE_URL = "/slack/commands/1234/5678";
    static final String JIRA_BASE = "/jira";
    static final String SENTRY_API = "/sentry/api/0";
    static final String JIRA_ISSUE = "PROJ-123";
    static final String SENTRY_ISSUE = "1234567890";

    private final WireMockServer server;

    FakeVendors(WireMockServer server) {
        this.server = server;
        server.stubFor(post(urlPathEqualTo(SLACK_API + "/chat.postMessage")).willReturn(json(200, "slack/chat.postMessage.ok.json")));
        server.stubFor(post(urlPathEqualTo(SLACK_API + "/chat.update")).willReturn(json(200, "slack/chat.update.ok.json")));
        server.stubFor(post(urlPathEqualTo(SLACK_API + "/reactions.add")).willReturn(json(200, "slack/reactions.add.ok.json")));
        // response_url answers plain text "ok", as Slack's hooks do.
        server.stubFor(post(urlPathEqualTo(SLACK_RESPONSE_URL)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("ok")));

        String issue = JIRA_BASE + "/rest/api/3/issue/" + JIRA_ISSUE;
        server.stubFor(get(urlPathEqualTo(issue)).willReturn(json(200, "jira/get-issue-PROJ-123.200.json")));
        server.stubFor(post(urlPathEqualTo(issue + "/comment")).willReturn(json(201, "jira/add-comment.201.json")));
        server.stubFor(put(urlPathMatching(issue + "/comment/[0-9]+")).willReturn(json(200, "jira/update-comment.200.json")));

        String sentryIssue = SENTRY_API + "/issues/" + SENTRY_ISSUE + "/";
        server.stubFor(get(urlPathEqualTo(sentryIssue)).willReturn(json(200, "sentry/issue-1234567890.json")));
        server.stubFor(get(urlPathEqualTo(sentryIssue + "events/latest/")).willReturn(json(200, "sentry/latest-event-1234567890.json")));
        server.stubFor(post(urlPathEqualTo(sentryIssue + "comments/")).willReturn(json(201, "sentry/note-created.json")));

        // The vendors' listings of the messages created, read by a vendor service that lost a create's answer.
        server.stubFor(get(urlPathMatching(SLACK_API + "/conversations\\.(replies|history)"))
                .willReturn(aResponse().withTransformers(VendorMessages.NAME)));
        server.stubFor(get(urlPathMatching(JIRA_BASE + "/rest/api/3/issue/[^/]+/comment"))
                .willReturn(aResponse().withTransformers(VendorMessages.NAME)));
        server.stubFor(get(urlPathMatching(SENTRY_API + "/issues/[0-9]+/comments/"))
                .willReturn(aResponse().withTransformers(VendorMessages.NAME)));
    }

    /**
     * Sentry issues of any id, answered with the one example issue and event: a stream of {@code issue.created}
     * deliveries needs an issue each (the gateway takes one task per issue within its dedupe window).
     */
    void anySentryIssue() {
        String issue = SENTRY_API + "/issues/[0-9]+/";
        server.stubFor(get(urlPathMatching(issue)).atPriority(6).willReturn(json(200, "sentry/issue-1234567890.json")));
        server.stubFor(get(urlPathMatching(issue + "events/latest/")).atPriority(6)
                .willReturn(json(200, "sentry/latest-event-1234567890.json")));
        server.stubFor(post(urlPathMatching(issue + "comments/")).atPriority(6).willReturn(json(201, "sentry/note-created.json")));
    }

    String responseUrl() {
        return server.baseUrl() + SLACK_RESPONSE_URL;
    }

    List<LoggedRequest> slackPosts() {
        return server.findAll(postRequestedFor(urlPathEqualTo(SLACK_API + "/chat.postMessage")));
    }

    List<LoggedRequest> slackUpdates() {
        return server.findAll(postRequestedFor(urlPathEqualTo(SLACK_API + "/chat.update")));
    }

    List<LoggedRequest> slackReactions() {
        return server.findAll(postRequestedFor(urlPathEqualTo(SLACK_API + "/reactions.add")));
    }

    List<LoggedRequest> responseUrlPosts() {
        return server.findAll(postRequestedFor(urlPathEqualTo(SLACK_RESPONSE_URL)));
    }

    List<LoggedRequest> jiraComments() {
        return server.findAll(postRequestedFor(urlPathEqualTo(JIRA_BASE + "/rest/api/3/issue/" + JIRA_ISSUE + "/comment")));
    }

    List<LoggedRequest> jiraCommentEdits() {
        return server.findAll(putRequestedFor(urlPathMatching(JIRA_BASE + "/rest/api/3/issue/" + JIRA_ISSUE + "/comment/[0-9]+")));
    }

    List<LoggedRequest> sentryNotes() {
        return server.findAll(postRequestedFor(urlPathEqualTo(SENTRY_API + "/issues/" + SENTRY_ISSUE + "/comments/")));
    }

    List<LoggedRequest> sentryIssueReads() {
        return server.findAll(getRequestedFor(urlPathMatching(SENTRY_API + "/issues/" + SENTRY_ISSUE + "/.*")));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String resource) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody(resource(resource));
    }

    static String resource(String name) {
        try (InputStream in = FakeVendors.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
