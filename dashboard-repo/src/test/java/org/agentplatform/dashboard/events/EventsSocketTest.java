package org.agentplatform.dashboard.events;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.agentplatform.dashboard.support.ApiClient;
import org.agentplatform.dashboard.support.Fixtures;
import org.agentplatform.dashboard.support.TestInfra;
import org.agentplatform.dashboard.support.WsClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.WebSocketHandshakeException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The live events WebSocket against an embedded Redis: auth, push latency, resume, refresh. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventsSocketTest implements TestPropertyProvider {
    @Inject
    EmbeddedServer server;
    @Inject
    EventStream stream;

    @Override
    public Map<String, String> getProperties() {
        return TestInfra.properties();
    }

    @BeforeEach
    void reset() {
        TestInfra.reset();
    }

    @Test
    void theHandshakeWithoutALoginIs401() {
        assertThatThrownBy(() -> WsClient.connect(server.getPort(), null, null).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(401));
        assertThatThrownBy(() -> WsClient.connect(server.getPort(), null, "SESSION=forged").get(10, TimeUnit.SECONDS))
                .cause().satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(401));
    }

    @Test
    void aMalformedLastEventIdIs400() {
        String cookie = new ApiClient(server.getPort()).login().cookie();
        assertThatThrownBy(() -> WsClient.connect(server.getPort(), "last_event_id=yesterday", cookie).get(10, TimeUnit.SECONDS))
                .cause().satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(400));
    }

    @Test
    void eachPublishedTaskEventIsPushedWithinASecond() throws Exception {
        String cookie = new ApiClient(server.getPort()).login().cookie();
        try (WsClient ws = WsClient.connect(server.getPort(), null, cookie).get(10, TimeUnit.SECONDS)) {
            awaitSubscribed(1);
            long start = System.nanoTime();
            String id = Fixtures.publish(Fixtures.event(Fixtures.TASK, "started", "attempt 1 started", null));
            String frame = ws.next(1000);
            long ms = (System.nanoTime() - start) / 1_000_000;

            assertThat(frame).as("a frame within 1 s").isNotNull();
            assertThat(ms).isLessThan(1000);
            assertThat(frame).contains("\"kind\":\"task_event\"", "\"id\":\"" + id + "\"", "\"task_id\":\"" + Fixtures.TASK + "\"",
                    "\"type\":\"started\"", "\"message\":\"attempt 1 started\"");

            // an entry that is not a TaskEvent is skipped, the next one still arrives
            TestInfra.redis().xadd("agent:events", Map.of("event", "{\"nonsense\":true}"));
            String next = Fixtures.publish(Fixtures.event(Fixtures.TASK, "progress", "line", 0L));
            assertThat(ws.next(2000)).contains("\"id\":\"" + next + "\"", "\"log_seq\":0");
        }
    }

    @Test
    void aReconnectingBrowserGetsWhatItMissedInOrder() throws Exception {
        String cookie = new ApiClient(server.getPort()).login().cookie();
        String seen = Fixtures.publish(Fixtures.event(Fixtures.TASK, "started", "s", null));
        String missed1 = Fixtures.publish(Fixtures.event(Fixtures.TASK, "progress", "p0", 0L));
        String missed2 = Fixtures.publish(Fixtures.event(Fixtures.TASK, "succeeded", "done", null));

        try (WsClient ws = WsClient.connect(server.getPort(), "last_event_id=" + seen, cookie).get(10, TimeUnit.SECONDS)) {
            assertThat(ws.next(3000)).contains("\"id\":\"" + missed1 + "\"", "\"message\":\"p0\"");
            assertThat(ws.next(3000)).contains("\"id\":\"" + missed2 + "\"", "\"type\":\"succeeded\"");
            awaitSubscribed(1);
            // then live, without the replayed ones again
            String live = Fixtures.publish(Fixtures.event(Fixtures.TASK, "progress", "later", 1L));
            assertThat(ws.next(2000)).contains("\"id\":\"" + live + "\"");
            assertThat(ws.next(300)).isNull();
        }
    }

    @Test
    void anIdOlderThanTheKeptEventsGetsARefresh() throws Exception {
        String cookie = new ApiClient(server.getPort()).login().cookie();
        String old = Fixtures.publish(Fixtures.event(Fixtures.TASK, "started", "s", null));
        Fixtures.publish(Fixtures.event(Fixtures.TASK, "progress", "p0", 0L));
        Fixtures.publish(Fixtures.event(Fixtures.TASK, "progress", "p1", 1L));
        // the agent caps the stream (MAXLEN); here the two oldest are trimmed away
        TestInfra.redis().xtrim("agent:events", 1);

        try (WsClient ws = WsClient.connect(server.getPort(), "last_event_id=" + old, cookie).get(10, TimeUnit.SECONDS)) {
            String frame = ws.next(3000);
            assertThat(frame).contains("\"kind\":\"refresh\"", "no longer kept").doesNotContain("task_event");
            awaitSubscribed(1);
            String live = Fixtures.publish(Fixtures.event(Fixtures.TASK, "succeeded", "done", null));
            assertThat(ws.next(2000)).contains("\"id\":\"" + live + "\"");
        }
    }

    @Test
    void anIdFromAnotherRedisGetsARefresh() throws Exception {
        String cookie = new ApiClient(server.getPort()).login().cookie();
        Fixtures.publish(Fixtures.event(Fixtures.TASK, "started", "s", null));
        try (WsClient ws = WsClient.connect(server.getPort(), "last_event_id=99999999999999-0", cookie).get(10, TimeUnit.SECONDS)) {
            assertThat(ws.next(3000)).contains("\"kind\":\"refresh\"");
        }
    }

    private void awaitSubscribed(int n) throws InterruptedException {
        long until = System.currentTimeMillis() + 5000;
        while (stream.subscriberCount() < n && System.currentTimeMillis() < until) {
            Thread.sleep(20);
        }
        assertThat(stream.subscriberCount()).isGreaterThanOrEqualTo(n);
    }
}
