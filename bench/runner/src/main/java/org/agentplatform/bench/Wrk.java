package org.agentplatform.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Closed-loop saturation with wrk (Debian package): as many requests as the server takes. */
final class Wrk {
    record Result(long requests, double seconds, long statusErrors, long socketErrors, long wraps,
                  double p50Ms, double p99Ms, String output) {
        /** Successful (2xx) requests per second. */
        double goodPerSecond() {
            return (requests - statusErrors) / seconds;
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("requests", requests);
            m.put("seconds", seconds);
            m.put("non_2xx", statusErrors);
            m.put("socket_errors", socketErrors);
            m.put("reused_deliveries", wraps);
            m.put("good_per_second", goodPerSecond());
            m.put("closed_loop_p50_ms", p50Ms);
            m.put("closed_loop_p99_ms", p99Ms);
            return m;
        }
    }

    private static final Pattern BENCH = Pattern.compile(
            "BENCH requests=(\\d+) duration_us=(\\d+) status_errors=(\\d+) connect=(\\d+) read=(\\d+) write=(\\d+) timeout=(\\d+) wraps=(\\d+) p50_us=(\\d+) p99_us=(\\d+)");

    private final Path dir;
    private final Path script;

    Wrk(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        script = dir.resolve("ingest.lua");
        try (InputStream in = Wrk.class.getResourceAsStream("/ingest.lua")) {
            Files.write(script, in.readAllBytes());
        }
    }

    /** Writes n unique signed deliveries ("delivery-id comment-id hmac-hex" lines) and the body template. */
    Path[] prepare(String label, Deliveries deliveries, int n) throws IOException {
        Path reqs = dir.resolve(label + ".requests");
        Path tpl = dir.resolve(label + ".template.json");
        Files.writeString(tpl, deliveries.template);
        try (BufferedWriter w = Files.newBufferedWriter(reqs, StandardCharsets.UTF_8)) {
            for (int i = 0; i < n; i++) {
                long cid = deliveries.nextCommentId();
                w.write(UUID.randomUUID() + " " + cid + " " + deliveries.hmacHex(deliveries.body(cid)) + "\n");
            }
        }
        return new Path[] {reqs, tpl};
    }

    Result run(String url, Path[] files, int threads, int connections, int seconds) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                "--timeout", "10s", "-s", script.toString(), url + "/webhooks/github", "--",
                files[0].toString(), files[1].toString(), Integer.toString(threads)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("wrk failed: " + out);
        }
        Matcher m = BENCH.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("wrk printed no result: " + out);
        }
        long socket = 0;
        for (int g = 4; g <= 7; g++) {
            socket += Long.parseLong(m.group(g));
        }
        return new Result(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)) / 1e6, Long.parseLong(m.group(3)),
                socket, Long.parseLong(m.group(8)), Long.parseLong(m.group(9)) / 1000.0,
                Long.parseLong(m.group(10)) / 1000.0, out);
    }
}
