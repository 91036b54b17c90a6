package org.agentplatform.slack.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The WireMock "Slack" as a store of messages (registered as a WireMock extension that sees every
 * request): a {@code chat.postMessage} whose stub answers {@code ok} creates a message the moment the
 * request is matched, before any delay of the answer (as Slack does when its answer is lost on the way
 * back), with the metadata it was sent with; a {@code conversations.history} or
 * {@code conversations.replies} stub with the transformer {@link #NAME} is answered with those
 * messages as Slack lists them (channel, thread, {@code oldest}).
 */
public final class SlackMessageStore implements ServeEventListener, ResponseDefinitionTransformerV2 {

    /** The transformer name a listing stub gives. */
    public static final String NAME = "slack-message-store";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<ObjectNode> messages = new CopyOnWriteArrayList<>();
    private final AtomicInteger sequence = new AtomicInteger();

    /** Every message created so far, oldest first. */
    public List<ObjectNode> messages() {
        return List.copyOf(messages);
    }

    void clear() {
        messages.clear();
    }

    private static JsonNode parse(String text) {
        try {
            return text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Takes the message of a post Slack accepts. */
    @Override
    public void afterMatch(ServeEvent event, Parameters parameters) {
        ResponseDefinition answer = event.getResponseDefinition();
        if (!event.getRequest().getUrl().endsWith("/chat.postMessage") || answer == null || answer.getFault() != null
                || answer.getStatus() != 200 || !parse(answer.getBody()).path("ok").asBoolean()) {
            return;
        }
        JsonNode sent = parse(event.getRequest().getBodyAsString());
        ObjectNode created = JSON.createObjectNode()
                .put("type", "message")
                .put("ts", Instant.now().getEpochSecond() + String.format(".%06d", sequence.incrementAndGet()))
                .put("text", sent.path("text").asText())
                .put("bot_id", "B0TESTBOT01")
                .put("channel", sent.path("channel").asText());
        if (sent.has("thread_ts")) {
            created.put("thread_ts", sent.get("thread_ts").asText());
        }
        if (sent.has("metadata")) {
            created.set("metadata", sent.get("metadata"));
        }
        messages.add(created);
    }

    /** Answers the listing stubs that name {@link #NAME} as their transformer; other answers stay as they are. */
    @Override
    public ResponseDefinition transform(ServeEvent event) {
        var request = event.getRequest();
        List<String> wanted = event.getResponseDefinition().getTransformers();
        if (wanted == null || !wanted.contains(NAME)) {
            return event.getResponseDefinition();
        }
        boolean history = request.getUrl().contains("/conversations.history?");
        String channel = request.queryParameter("channel").firstValue();
        QueryParameter thread = request.queryParameter("ts");
        QueryParameter oldest = request.queryParameter("oldest");
        ArrayNode listed = JSON.createArrayNode();
        for (ObjectNode m : messages) {
            boolean inChannel = channel.equals(m.path("channel").asText());
            boolean inThread = history || (thread.isPresent() && thread.firstValue().equals(m.path("thread_ts").asText()));
            boolean recent = !oldest.isPresent()
                    || Double.parseDouble(m.path("ts").asText()) >= Double.parseDouble(oldest.firstValue());
            if (inChannel && inThread && recent) {
                listed.add(m.deepCopy().without("channel"));
            }
        }
        ObjectNode body = JSON.createObjectNode().put("ok", true).put("has_more", false);
        body.set("messages", listed);
        return new com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder().withStatus(200)
                .withHeader("Content-Type", "application/json; charset=utf-8").withBody(body.toString()).build();
    }

    @Override
    public boolean applyGlobally() {
        return true;
    }

    @Override
    public String getName() {
        return NAME;
    }
}
