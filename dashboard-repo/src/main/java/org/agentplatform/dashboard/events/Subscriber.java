package org.agentplatform.dashboard.events;

import io.micronaut.core.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;

/**
 * One browser connection. While the events it missed are being replayed, live events are held
 * back, then sent after the replay; an event is sent only if its id is after the last one sent,
 * so the replay and the live feed overlap without duplicates and without reordering.
 */
final class Subscriber {
    /** Where frames go (the WebSocket session). */
    interface Sink {
        void send(String frame);

        boolean isOpen();
    }

    private final Sink sink;
    private final List<String[]> held = new ArrayList<>();
    private String lastSent;
    private boolean replaying;

    Subscriber(Sink sink, @Nullable String resumeAfter) {
        this.sink = sink;
        this.lastSent = resumeAfter;
        this.replaying = resumeAfter != null;
    }

    synchronized void live(String id, String frame) {
        if (replaying) {
            held.add(new String[] {id, frame});
        } else {
            sendIfNewer(id, frame);
        }
    }

    synchronized void replay(String id, String frame) {
        sendIfNewer(id, frame);
    }

    synchronized void refresh(String frame) {
        sink.send(frame);
    }

    synchronized void replayDone() {
        replaying = false;
        for (String[] h : held) {
            sendIfNewer(h[0], h[1]);
        }
        held.clear();
    }

    boolean isOpen() {
        return sink.isOpen();
    }

    private void sendIfNewer(String id, String frame) {
        if (lastSent != null && StreamIds.compare(id, lastSent) <= 0) {
            return;
        }
        sink.send(frame);
        lastSent = id;
    }
}
