package org.agentplatform.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load at a fixed rate over a fixed set of keep-alive connections (like wrk2): request i
 * is due at start + i/rate whatever happened before, and its latency is measured from that due
 * time, not from when a connection was free to send it. A server that stalls therefore shows the
 * whole stall in the percentiles (no coordinated omission). Requests still unanswered at the
 * cut-off count as failed, with their wait so far as latency (a lower bound).
 */
final class OpenLoop {
    record Result(int rate, int sent, long ok, long failed, long unfinished, Histogram latencyUs) {
        double p50Ms() {
            return latencyUs.getValueAtPercentile(50) / 1000.0;
        }

        double p99Ms() {
            return latencyUs.getValueAtPercentile(99) / 1000.0;
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rate_per_second", rate);
            m.put("sent", sent);
            m.put("ok_202", ok);
            m.put("failed", failed);
            m.put("unfinished_at_cutoff", unfinished);
            m.put("p50_ms", p50Ms());
            m.put("p90_ms", latencyUs.getValueAtPercentile(90) / 1000.0);
            m.put("p99_ms", p99Ms());
            m.put("p999_ms", latencyUs.getValueAtPercentile(99.9) / 1000.0);
            m.put("max_ms", latencyUs.getMaxValue() / 1000.0);
            return m;
        }
    }

    private record Item(long due, byte[] bytes, boolean recorded) {
    }

    static final int CONNECTIONS = 48;
    static final int CUTOFF_SECONDS = 10;

    /** warmupSeconds at the same rate first (not recorded), then seconds recorded. */
    Result run(String url, Deliveries deliveries, int rate, int warmupSeconds, int seconds) throws Exception {
        URI u = URI.create(url);
        int warm = rate * warmupSeconds;
        int total = warm + rate * seconds;
        // requests and signatures made up front: the schedule thread only hands them out
        List<byte[]> raw = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            byte[] body = deliveries.body(deliveries.nextCommentId());
            String head = "POST /webhooks/github HTTP/1.1\r\nHost: " + u.getHost() + ":" + u.getPort()
                    + "\r\nContent-Type: application/json\r\nUser-Agent: GitHub-Hookshot/bench"
                    + "\r\nX-GitHub-Event: issue_comment\r\nX-GitHub-Delivery: " + UUID.randomUUID()
                    + "\r\nX-GitHub-Hook-ID: 292430182\r\nX-Hub-Signature-256: " + deliveries.signature(body)
                    + "\r\nContent-Length: " + body.length + "\r\n\r\n";
            byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
            byte[] all = new byte[h.length + body.length];
            System.arraycopy(h, 0, all, 0, h.length);
            System.arraycopy(body, 0, all, h.length, body.length);
            raw.add(all);
        }
        Recorder recorder = new Recorder(3);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong done = new AtomicLong();
        LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
        List<Item> inFlight = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Socket> sockets = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile_stop[0] = false;
        List<Thread> workers = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            Thread t = new Thread(() -> {
                Socket s = null;
                InputStream in = null;
                while (!volatile_stop[0]) {
                    Item item;
                    try {
                        item = queue.poll(50, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (item == null) {
                        continue;
                    }
                    inFlight.add(item);
                    int status = -1;
                    try {
                        if (s == null || s.isClosed()) {
                            s = new Socket();
                            s.setTcpNoDelay(true);
                            s.setSoTimeout(CUTOFF_SECONDS * 1000);
                            s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 5000);
                            sockets.add(s);
                            in = new BufferedInputStream(s.getInputStream(), 16384);
                        }
                        OutputStream out = s.getOutputStream();
                        out.write(item.bytes());
                        out.flush();
                        boolean[] close = {false};
                        status = readResponse(in, close);
                        if (close[0]) {
                            s.close();
                        }
                    } catch (IOException e) {
                        try {
                            if (s != null) {
                                s.close();
                            }
                        } catch (IOException ignored) {
                            // reconnect next time
                        }
                    }
                    long latency = System.nanoTime() - item.due();
                    if (inFlight.remove(item) && item.recorded()) {
                        recorder.recordValue(Math.max(1, latency / 1000));
                        if (status == 202) {
                            ok.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                        }
                    }
                    done.incrementAndGet();
                }
            }, "open-loop-" + c);
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
        long period = 1_000_000_000L / rate;
        long start = System.nanoTime() + 50_000_000L;
        for (int i = 0; i < total; i++) {
            long due = start + i * period;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            queue.add(new Item(due, raw.get(i), i >= warm));
            raw.set(i, null);
        }
        long cutoff = System.nanoTime() + CUTOFF_SECONDS * 1_000_000_000L;
        while (done.get() < total && System.nanoTime() < cutoff) {
            Thread.sleep(10);
        }
        volatile_stop[0] = true;
        long now = System.nanoTime();
        long unfinished = 0;
        List<Item> left = new ArrayList<>(queue);
        queue.clear();
        synchronized (inFlight) {
            left.addAll(inFlight);
            inFlight.clear();
        }
        for (Item item : left) {
            if (item.recorded()) {
                unfinished++;
                recorder.recordValue(Math.max(1, (now - item.due()) / 1000));
            }
        }
        synchronized (sockets) {
            for (Socket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
        for (Thread t : workers) {
            t.join(2000);
        }
        return new Result(rate, total - warm, ok.get(), failed.get() + unfinished, unfinished,
                recorder.getIntervalHistogram());
    }

    private final boolean[] volatile_stop = {false};

    /** Reads one HTTP/1.1 response (Content-Length or chunked); returns its status. */
    private static int readResponse(InputStream raw, boolean[] close) throws IOException {
        String statusLine = line(raw);
        if (statusLine == null) {
            throw new IOException("connection closed");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        long length = -1;
        boolean chunked = false;
        String l;
        while ((l = line(raw)) != null && !l.isEmpty()) {
            String lower = l.toLowerCase();
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                close[0] = true;
            }
        }
        if (chunked) {
            while (true) {
                long size = Long.parseLong(line(raw).split(";")[0].trim(), 16);
                if (size == 0) {
                    line(raw);
                    break;
                }
                raw.readNBytes((int) size);
                line(raw);
            }
        } else if (length > 0) {
            raw.readNBytes((int) length);
        }
        return status;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int n = b.size();
                byte[] bytes = b.toByteArray();
                return new String(bytes, 0, n > 0 && bytes[n - 1] == '\r' ? n - 1 : n, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }
}
