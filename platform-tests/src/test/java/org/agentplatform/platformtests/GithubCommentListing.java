package org.agentplatform.platformtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.extension.Extension;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * GitHub's "list issue comments" on the fake. A comment exists from the moment GitHub received its POST
 * and chose to create it (the stub's answer is a 2xx), even if that answer is delayed past the caller's
 * timeout or never arrives: the github-service lists comments to find one whose answer it lost. Stubs
 * use it with {@code withTransformers(GithubCommentListing.NAME)}; {@link #extensions()} registers both parts.
 */
final class GithubCommentListing {
    static final String NAME = "github-comment-listing";
    private static final String CREATE = "^/repos/[^/]+/[^/]+/issues/[0-9]+/comments$";

    /** Comments by issue path, oldest first. */
    private final Map<String, List<ObjectNode>> byIssue = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(1_000_000);

    Extension[] extensions() {
        return new Extension[] {new Recorder(), new Lister()};
    }

    private static String path(ServeEvent e) {
        return e.getRequest().getUrl().replaceFirst("\\?.*$", "");
    }

    /** Takes a comment when the POST is matched to a 2xx stub, before any delay of the answer. */
    private final class Recorder implements ServeEventListener {
        @Override
        public void afterMatch(ServeEvent e, Parameters parameters) {
            if (!"POST".equals(e.getRequest().getMethod().getName()) || !path(e).matches(CREATE)
                    || e.getResponseDefinition() == null || e.getResponseDefinition().getStatus() / 100 != 2) {
                return;
            }
            ObjectNode c = Webhooks.JSON.createObjectNode();
            c.put("id", ids.incrementAndGet());
            try {
                JsonNode sent = Webhooks.JSON.readTree(e.getRequest().getBodyAsString());
                c.put("body", sent.path("body").asText());
            } catch (Exception notJson) {
                c.put("body", "");
            }
            byIssue.computeIfAbsent(path(e), k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(c);
        }

        @Override
        public String getName() {
            return NAME + "-recorder";
        }
    }

    private final class Lister implements ResponseDefinitionTransformerV2 {
        @Override
        public ResponseDefinition transform(ServeEvent e) {
            ArrayNode comments = Webhooks.JSON.createArrayNode();
            List<ObjectNode> taken = byIssue.getOrDefault(path(e), List.of());
            synchronized (taken) {
                taken.forEach(comments::add);
            }
            // written with our Jackson: WireMock's standalone jar has its own (shaded) copy
            return new com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder().withStatus(200)
                    .withHeader("Content-Type", "application/json; charset=utf-8")
                    .withBody(comments.toString()).build();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }
}
