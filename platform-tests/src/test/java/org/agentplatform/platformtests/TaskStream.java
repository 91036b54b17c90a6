package org.agentplatform.platformtests;

import java.net.ConnectException;
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
 * A steady stream of signed webhooks sent to a gateway at a fixed rate, open loop: a slow answer does not
 * slow the stream down. By default GitHub's {@code issue_comment.created} sample with our text; any
 * {@link Deliveries} otherwise. Remembers the task id of every delivery the gateway accepted (a 2xx with a
 * task id: 202, or 200 for Slack) and how every other one ended.
 */
final class TaskStream {
    /** The n-th delivery of a stream (from 1), signed and addressed to the gateway at {@code gatewayUrl}. */
    @FunctionalInterface
    interface Deliveries {
        HttpRequest delivery(String gatewayUrl, long n) throws Exception;
    }

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
        return run(scenario, rate, length, gatewayUrl, github(scenario, secret));
    }

    /** GitHub {@code issue_comment.created} deliveries mentioning the agent, each a comment of its own. */
    static Deliveries github(String scenario, String secret) {
        return (gatewayUrl, n) -> {
            long commentId = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L);
            byte[] body = Webhooks.githubIssueComment("@agent " + scenario + " #" + n, commentId);
            return Webhooks.github(gatewayUrl, "issue_comment", UUID.randomUUID().toString(), body, secret);
        };
    }

    static TaskStream run(String scenario, int rate, Duration length, Supplier<String> gatewayUrl, Deliveries deliveries)
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
            s.send(deliveries.delivery(gatewayUrl.get(), s.sent + 1));
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
            String taskId = r.statusCode() / 100 == 2 ? taskId(r.body()) : "";
            if (taskId.isEmpty()) {
                rejected.add("redelivery: " + r.statusCode() + " " + r.body());
                continue;
            }
            if (!accepted.contains(taskId)) {
                accepted.add(taskId);
            }
        }
        return again.size();
    }

    private void send(HttpRequest signed) {
        sent++;
        // a slow gateway is measured, not cut short: the builders' 10 s is for single requests
        HttpRequest request = HttpRequest.newBuilder(signed, (name, value) -> true).timeout(Duration.ofSeconds(30)).build();
        String delivery = request.headers().firstValue("X-GitHub-Delivery").orElse(request.uri() + " #" + sent);
        inFlight.add(HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((r, e) -> {
            if (e != null) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                if (cause instanceof ConnectException) {
                    refused.incrementAndGet();
                } else {
                    dropped.add(delivery + ": " + cause);
                }
                undelivered.add(request);
            } else if (r.statusCode() / 100 == 2) {
                String taskId = taskId(r.body());
                if (taskId.isEmpty()) {
                    rejected.add(r.statusCode() + " without a task id: " + r.body());
                } else {
                    accepted.add(taskId);
                }
            } else {
                rejected.add(r.statusCode() + " " + r.body());
            }
            return null;
        }));
    }

    private static String taskId(String body) {
        try {
            return Webhooks.JSON.readTree(body).path("task_id").asText();
        } catch (Exception notJson) {
            return "";
        }
    }
}
