package org.agentplatform.dashboard.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A JDK WebSocket client that queues the text frames it receives. */
public final class WsClient implements AutoCloseable {
    private final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final WebSocket socket;

    private WsClient(WebSocket socket) {
        this.socket = socket;
    }

    /** Connects; the future fails with a WebSocketHandshakeException when the handshake is refused. */
    public static CompletableFuture<WsClient> connect(int port, String query, String cookie) {
        LinkedBlockingQueue<String> q = new LinkedBlockingQueue<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    q.add(partial.toString());
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }
        };
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        URI uri = URI.create("ws://127.0.0.1:" + port + "/api/v1/dashboard/events" + (query == null ? "" : "?" + query));
        return b.buildAsync(uri, listener).thenApply(ws -> {
            WsClient c = new WsClient(ws);
            c.frames.addAll(q);
            q.clear();
            // hand over: later frames go straight into the client's queue
            return c.bridge(q);
        });
    }

    private WsClient bridge(LinkedBlockingQueue<String> source) {
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    frames.add(source.take());
                }
            } catch (InterruptedException ignored) {
                // closed
            }
        }, "ws-test-bridge");
        t.setDaemon(true);
        t.start();
        return this;
    }

    /** The next frame, or null after the timeout. */
    public String next(long millis) throws InterruptedException {
        return frames.poll(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        socket.abort();
    }
}
