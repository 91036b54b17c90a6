package org.agentplatform.platformtests;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

/** The GitHub REST endpoints the platform calls, answered the way GitHub answers them. */
final class FakeGithub {
    private static final Pattern ANSWER = Pattern.compile("answer for ([A-Za-z0-9-]+)");
    private final WireMockServer server;

    FakeGithub(WireMockServer server) {
        this.server = server;
        server.stubFor(any(urlPathMatching("/.*")).atPriority(10)
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                        .withBody("{\"message\":\"Not Found\",\"documentation_url\":\"https://docs.github.com/rest\"}")));
        server.stubFor(post(urlPathMatching("/repos/[^/]+/[^/]+/(issues|pulls)/comments/[0-9]+/reactions"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":1,\"node_id\":\"MDg6UmVhY3Rpb24x\",\"content\":\"eyes\"}")));
        server.stubFor(post(urlPathMatching("/repos/[^/]+/[^/]+/issues/[0-9]+/comments"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":1555000111,\"html_url\":\"https://github.com/Codertocat/Hello-World/issues/1#issuecomment-1555000111\",\"body\":\"ok\"}")));
        server.stubFor(get(urlPathMatching("/repos/[^/]+/[^/]+/issues/[0-9]+/comments"))
                .willReturn(aResponse().withTransformers(GithubCommentListing.NAME)));
        server.stubFor(patch(urlPathMatching("/repos/[^/]+/[^/]+/(issues|pulls)/comments/[0-9]+"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":1555000111,\"body\":\"ok\"}")));
    }

    /**
     * The answer comments GitHub created (a 2xx stub, answered yet or not), by task id: the runners of the chaos
     * and scenario suites answer {@code answer for <task id>}.
     */
    static Map<String, Long> answersByTask(WireMockServer server) {
        Map<String, Long> byTask = new HashMap<>();
        for (ServeEvent e : server.getAllServeEvents()) {
            if (!"POST".equals(e.getRequest().getMethod().getName())
                    || !e.getRequest().getUrl().matches("/repos/[^/]+/[^/]+/issues/[0-9]+/comments")
                    || e.getResponseDefinition().getStatus() / 100 != 2) {
                continue;
            }
            Matcher m = ANSWER.matcher(e.getRequest().getBodyAsString());
            if (m.find()) {
                byTask.merge(m.group(1), 1L, Long::sum);
            }
        }
        return byTask;
    }

    List<LoggedRequest> reactionsOn(String repoFullName, long commentId) {
        return server.findAll(postRequestedFor(urlPathEqualTo(
                "/repos/" + repoFullName + "/issues/comments/" + commentId + "/reactions")));
    }

    List<LoggedRequest> commentsOn(String repoFullName, long issueNumber) {
        return server.findAll(postRequestedFor(urlPathEqualTo(
                "/repos/" + repoFullName + "/issues/" + issueNumber + "/comments")));
    }
}
