package org.agentplatform.platformtests;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import java.util.List;


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
                .willReturn(aResponse().withTransformers(VendorMessages.NAME)));
        server.stubFor(patch(urlPathMatching("/repos/[^/]+/[^/]+/(issues|pulls)/comments/[0-9]+"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":1555000111,\"body\":\"ok\"}")));
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
