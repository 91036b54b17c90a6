package org.agentplatform.platformtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.Extension;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The messages the fake vendors created, and the vendors' own listings of them: GitHub's "list issue
 * comments", Slack's {@code conversations.replies}/{@code conversations.history} (with message metadata),
 * Jira Cloud's "get comments" and Sentry's issue notes. A message exists from the moment the vendor received
 * its POST and chose to create it (the stub's answer is a 2xx), even if that answer is delayed past the
 * caller's timeout or never arrives: each vendor service lists messages to find one whose answer it lost.
 * Listing stubs use {@code withTransformers(VendorMessages.NAME)}; {@link #extensions()} registers both parts.
 */
final class VendorMessages {
    static final String NAME = "vendor-message-listing";
    private static final Pattern ANSWER = Pattern.compile("answer for ([A-Za-z0-9-]+)");

    private static final String GITHUB = "^/repos/[^/]+/[^/]+/issues/[0-9]+/comments$";
    private static final String SLACK_POST = "^" + FakeVendors.SLACK_API + "/chat\\.postMessage$";
    private static final String SLACK_LIST = "^" + FakeVendors.SLACK_API + "/conversations\\.(replies|history)$";
    private static final String JIRA = "^" + FakeVendors.JIRA_BASE + "/rest/api/3/issue/[^/]+/comment$";
    private static final String SENTRY = "^" + FakeVendors.SENTRY_API + "/issues/[0-9]+/comments/$";
    /** Every endpoint that creates an answer (a slash command's response_url included). */
    private static final String CREATES = GITHUB + "|" + SLACK_POST + "|" + JIRA + "|" + SENTRY
            + "|^" + FakeVendors.SLACK_RESPONSE_URL + "$";
    private static final DateTimeFormatter JIRA_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
            .withZone(ZoneOffset.UTC);

    /** Created messages by listing key (GitHub/Jira/Sentry: the create path; Slack: the channel), oldest first. */
    private final Map<String, List<ObjectNode>> byKey = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(1_000_000);

    Extension[] extensions() {
        return new Extension[] {new Recorder(), new Lister()};
    }

    /**
     * The answers the fake vendors created (a 2xx stub, answered yet or not), by task id: the runners of the
     * chaos and scenario suites answer {@code answer for <task id>}; progress messages never carry a full id.
     */
    static Map<String, Long> answersByTask(WireMockServer server) {
        Map<String, Long> byTask = new HashMap<>();
        answers(server, (taskId, vendor) -> byTask.merge(taskId, 1L, Long::sum));
        return byTask;
    }

    /** Answers beyond the first of a task, by vendor (github, slack, jira, sentry): where duplicates came from. */
    static Map<String, Long> duplicatesByVendor(WireMockServer server) {
        Map<String, Long> seen = new HashMap<>();
        Map<String, Long> byVendor = new java.util.TreeMap<>();
        answers(server, (taskId, vendor) -> {
            if (seen.merge(taskId, 1L, Long::sum) > 1) {
                byVendor.merge(vendor, 1L, Long::sum);
            }
        });
        return byVendor;
    }

    /** The listings read (a vendor service looking for a create whose answer it lost), by vendor. */
    static Map<String, Long> lookupsByVendor(WireMockServer server) {
        Map<String, Long> byVendor = new java.util.TreeMap<>();
        for (ServeEvent e : server.getAllServeEvents()) {
            String p = path(e);
            if ("GET".equals(e.getRequest().getMethod().getName())
                    && (p.matches(GITHUB) || p.matches(SLACK_LIST) || p.matches(JIRA) || p.matches(SENTRY))) {
                byVendor.merge(vendorOf(p), 1L, Long::sum);
            }
        }
        return byVendor;
    }

    private static String vendorOf(String path) {
        return path.startsWith("/slack/") ? "slack" : path.startsWith("/jira/") ? "jira"
                : path.startsWith("/sentry/") ? "sentry" : "github";
    }

    private static void answers(WireMockServer server, java.util.function.BiConsumer<String, String> taskAndVendor) {
        for (ServeEvent e : server.getAllServeEvents()) {
            if (!"POST".equals(e.getRequest().getMethod().getName()) || !path(e).matches(CREATES)
                    || e.getResponseDefinition().getStatus() / 100 != 2) {
                continue;
            }
            Matcher m = ANSWER.matcher(e.getRequest().getBodyAsString());
            if (m.find()) {
                taskAndVendor.accept(m.group(1), vendorOf(path(e)));
            }
        }
    }

    private static String path(ServeEvent e) {
        return e.getRequest().getUrl().replaceFirst("\\?.*$", "");
    }

    /** Query parameters, or form fields of a POST (Slack takes both). */
    private static Map<String, String> params(ServeEvent e) {
        Map<String, String> params = new LinkedHashMap<>();
        String url = e.getRequest().getUrl();
        String query = url.contains("?") ? url.substring(url.indexOf('?') + 1) : "";
        String form = "POST".equals(e.getRequest().getMethod().getName()) ? e.getRequest().getBodyAsString() : "";
        for (String part : (query + "&" + form).split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                params.put(URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private List<ObjectNode> taken(String key) {
        return byKey.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>()));
    }

    /** Takes a message when its POST is matched to a 2xx stub, before any delay of the answer. */
    private final class Recorder implements ServeEventListener {
        @Override
        public void afterMatch(ServeEvent e, Parameters parameters) {
            if (!"POST".equals(e.getRequest().getMethod().getName())
                    || e.getResponseDefinition() == null || e.getResponseDefinition().getStatus() / 100 != 2) {
                return;
            }
            String path = path(e);
            JsonNode sent;
            try {
                sent = Webhooks.JSON.readTree(e.getRequest().getBodyAsString());
            } catch (Exception notJson) {
                sent = Webhooks.JSON.createObjectNode();
            }
            long id = ids.incrementAndGet();
            ObjectNode m = Webhooks.JSON.createObjectNode();
            if (path.matches(GITHUB)) {
                m.put("id", id);
                m.put("body", sent.path("body").asText());
                taken(path).add(m);
            } else if (path.matches(SLACK_POST)) {
                m.put("type", "message");
                m.put("ts", Instant.now().getEpochSecond() + "." + String.format("%06d", id % 1_000_000));
                m.put("text", sent.path("text").asText());
                m.put("bot_id", "B0FAKEAGENT");
                if (sent.hasNonNull("thread_ts")) {
                    m.put("thread_ts", sent.path("thread_ts").asText());
                }
                if (sent.has("metadata")) {
                    m.set("metadata", sent.get("metadata"));
                }
                taken("slack:" + sent.path("channel").asText()).add(m);
            } else if (path.matches(JIRA)) {
                String now = JIRA_TIME.format(Instant.now());
                m.put("id", Long.toString(id));
                m.set("author", Webhooks.JSON.createObjectNode().put("accountId", "5b10ac8d82e05b22cc7d4ef5")
                        .put("displayName", "Agent"));
                m.set("body", sent.path("body"));
                m.put("created", now);
                m.put("updated", now);
                taken(path).add(m);
            } else if (path.matches(SENTRY)) {
                m.put("id", Long.toString(id));
                m.put("type", "note");
                m.put("dateCreated", Instant.now().toString());
                m.set("data", Webhooks.JSON.createObjectNode().put("text", sent.path("text").asText()));
                m.set("user", Webhooks.JSON.createObjectNode().put("id", "1").put("name", "Agent"));
                taken(path).add(m);
            }
        }

        @Override
        public String getName() {
            return NAME + "-recorder";
        }
    }

    private final class Lister implements ResponseDefinitionTransformerV2 {
        @Override
        public ResponseDefinition transform(ServeEvent e) {
            String path = path(e);
            JsonNode body;
            if (path.matches(SLACK_LIST)) {
                body = slack(path.endsWith("replies"), params(e));
            } else if (path.matches(JIRA)) {
                ArrayNode newestFirst = newestFirst(path);
                if (!"-created".equals(params(e).get("orderBy"))) {
                    List<JsonNode> oldestFirst = new ArrayList<>();
                    newestFirst.forEach(n -> oldestFirst.add(0, n));
                    newestFirst = Webhooks.JSON.createArrayNode().addAll(oldestFirst);
                }
                body = Webhooks.JSON.createObjectNode().put("startAt", 0).put("maxResults", 100)
                        .put("total", newestFirst.size()).set("comments", newestFirst);
            } else if (path.matches(SENTRY)) {
                body = newestFirst(path);
            } else {
                ArrayNode oldestFirst = Webhooks.JSON.createArrayNode();
                List<ObjectNode> taken = byKey.getOrDefault(path, List.of());
                synchronized (taken) {
                    taken.forEach(oldestFirst::add);
                }
                body = oldestFirst;
            }
            // written with our Jackson: WireMock's standalone jar has its own (shaded) copy
            return new com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder().withStatus(200)
                    .withHeader("Content-Type", "application/json; charset=utf-8")
                    .withBody(body.toString()).build();
        }

        private ArrayNode newestFirst(String key) {
            ArrayNode out = Webhooks.JSON.createArrayNode();
            List<ObjectNode> taken = byKey.getOrDefault(key, List.of());
            synchronized (taken) {
                for (int i = taken.size() - 1; i >= 0; i--) {
                    out.add(taken.get(i));
                }
            }
            return out;
        }

        /** Slack's answer: the channel's messages (history) or one thread's (replies), not older than {@code oldest}. */
        private JsonNode slack(boolean replies, Map<String, String> params) {
            double oldest = params.containsKey("oldest") ? Double.parseDouble(params.get("oldest")) : 0;
            String thread = params.get("ts");
            ArrayNode messages = Webhooks.JSON.createArrayNode();
            List<ObjectNode> taken = byKey.getOrDefault("slack:" + params.get("channel"), List.of());
            synchronized (taken) {
                for (ObjectNode m : taken) {
                    boolean inThread = thread != null && (thread.equals(m.path("thread_ts").asText())
                            || thread.equals(m.path("ts").asText()));
                    if ((!replies || inThread) && Double.parseDouble(m.path("ts").asText()) >= oldest) {
                        messages.add(m);
                    }
                }
            }
            return Webhooks.JSON.createObjectNode().put("ok", true).put("has_more", false).set("messages", messages);
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
