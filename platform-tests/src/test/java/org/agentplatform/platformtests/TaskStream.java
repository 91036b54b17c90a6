package org.agentplatform.platformtests;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A steady stream of signed GitHub webhooks ({@code issue_comment.created}, GitHub's own sample with our
 * text) sent to a gateway at a fixed rate, open loop: a slow answer does not slow the stream down.
 * Remembers the task id of every delivery the gateway accepted (202) and how every other one ended.
 */
final class TaskStream {
    /** Webhooks a second and how long, for the chaos and scenario suites: {@code -Dchaos.rate}, {@code -Dchaos.seconds}. */
    static final int RATE = Integer.getInteger("chaos.rate", 10);
    static final Duration LENGTH = Duration.ofSeconds(Integer.getInteger("chaos.seconds", 15));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String scenario;
    final List<String> accepted = Collections.synchronizedList(new ArrayList<>());
    /** Deliveries answered with something else than 202: status and body. */
    final List<String> rejected = Collections.synchronizedList(new ArrayList<>());
    /** Deliveries that never reached a listening gateway (connection refused): a sender would retry them. */
    final AtomicLong refused = new AtomicLong();
    /** Deliveries whose connection was accepted and then lost without an answer: must never happen. */
    final List<String> dropped = Collections.synchronizedList(new ArrayList<>());
    /** The refused and cut deliveries themselves, to be sent again the way GitHub's "Redeliver" does. */
    private final List<HttpRequest> undelivered = Collections.synchronizedList(new ArrayList<>());
    private final List<CompletableFuture<Void>> inFlight = Collections.synchronizedList(new ArrayList<>());
    long sent;

    private TaskStream(String scenario) {
        this.scenario = scenario;
    }

    /**
     * Sends {@code rate} deliveries a second for {@code length}, to the gateway {@code gatewayUrl} supplies at
     * the time of each send, and waits until every delivery has its outcome.
     */
    static TaskStream run(String scenario, int rate, Duration length, Supplier<String> gatewayUrl, String secret)
            throws Exception {
        TaskStream s = new TaskStream(scenario);
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long end = start + length.toNanos();
        for (long next = start; next < end; next += intervalNanos) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            s.send(gatewayUrl.get(), secret);
        }
        CompletableFuture.allOf(s.inFlight.toArray(CompletableFuture[]::new)).get();
        return s;
    }

    /**
     * Sends every refused or cut delivery again, same delivery id and body (GitHub's "Redeliver"): the
     * gateway's dedupe must answer a delivery it had already taken with the same task. Returns how many.
     */
    int redeliver() throws Exception {
        List<HttpRequest> again = List.copyOf(undelivered);
        for (HttpRequest request : again) {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 202) {
                rejected.add("redelivery: " + r.statusCode() + " " + r.body());
                continue;
            }
            String taskId = Webhooks.JSON.readTree(r.body()).path("task_id").asText();
            if (!accepted.contains(taskId)) {
                accepted.add(taskId);
            }
        }
        return again.size();
    }

    private void send(String gatewayUrl, String secret) throws Exception {
        sent++;
        long commentId = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L);
        byte[] body = Webhooks.githubIssueComment("@agent " + scenario + " #" + sent, commentId);
        String delivery = UUID.randomUUID().toString();
        HttpRequest request = HttpRequest.newBuilder(URI.create(gatewayUrl + "/webhooks/github"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("User-Agent", "GitHub-Hookshot/044aadd")
                .header("X-GitHub-Event", "issue_comment")
                .header("X-GitHub-Delivery", delivery)
                .header("X-GitHub-Hook-ID", "292430182")
                .header("X-Hub-Signature-256", "sha256=" + Webhooks.hmacSha256Hex(secret, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        inFlight.add(HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((r, e) -> {
            if (e != null) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                if (cause instanceof ConnectException) {
                    refused.incrementAndGet();
                } else {
                    dropped.add(delivery + ": " + cause);
                }
                undelivered.add(request);
            } else if (r.statusCode() == 202) {
                try {
                    accepted.add(Webhooks.JSON.readTree(r.body()).path("task_id").asText());
                } catch (Exception parse) {
                    rejected.add("202 without a task id: " + r.body());
                }
            } else {
                rejected.add(r.statusCode() + " " + r.body());
            }
            return null;
        }));
    }
}
