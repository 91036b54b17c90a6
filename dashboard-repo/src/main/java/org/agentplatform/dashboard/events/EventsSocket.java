package org.agentplatform.dashboard.events;

import io.micronaut.http.HttpRequest;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.websocket.WebSocketSession;
import io.micronaut.websocket.annotation.OnClose;
import io.micronaut.websocket.annotation.OnMessage;
import io.micronaut.websocket.annotation.OnOpen;
import io.micronaut.websocket.annotation.ServerWebSocket;
import jakarta.inject.Named;

import java.util.concurrent.ExecutorService;

/**
 * {@code /api/v1/dashboard/events}: DashboardEvent frames for the browser. The handshake is an
 * HTTP GET under {@code /api/v1/dashboard/**}, so the session filter has already answered 401
 * without a login and 400 for a malformed {@code last_event_id}.
 */
@ServerWebSocket("/api/v1/dashboard/events")
public class EventsSocket {
    private static final String SUBSCRIPTION = "subscription";

    private final EventStream events;
    private final ExecutorService blocking;

    public EventsSocket(EventStream events, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.events = events;
        this.blocking = blocking;
    }

    @OnOpen
    public void onOpen(WebSocketSession session, HttpRequest<?> request) {
        String lastEventId = request.getParameters().get("last_event_id");
        Subscriber.Sink sink = new Subscriber.Sink() {
            @Override
            public void send(String frame) {
                if (session.isOpen()) {
                    session.sendAsync(frame);
                }
            }

            @Override
            public boolean isOpen() {
                return session.isOpen();
            }
        };
        // the replay reads Redis: off the event loop
        blocking.execute(() -> session.put(SUBSCRIPTION, events.subscribe(sink, lastEventId)));
    }

    @OnMessage
    public void onMessage(String message, WebSocketSession session) {
        // browsers only listen; anything they send is ignored
    }

    @OnClose
    public void onClose(WebSocketSession session) {
        session.get(SUBSCRIPTION, EventStream.Subscription.class).ifPresent(EventStream.Subscription::close);
    }
}
