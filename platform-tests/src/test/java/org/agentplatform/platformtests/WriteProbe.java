package org.agentplatform.platformtests;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.matching.RequestPattern;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything a request could have written anywhere on the platform, as one comparable snapshot: for every
 * table of every service's database its row count and newest row version ({@code max(xmin)}: an insert,
 * update or delete changes one of the two), the number of requests the fake vendor API received, and the
 * last id ever added to each Redis stream ({@code agent:tasks:*}, {@code agent:events}: an enqueued task or
 * event moves it, even when a worker has already taken and deleted the entry).
 */
final class WriteProbe implements AutoCloseable {
    /** What a snapshot holds: name of the thing written to, and its state. */
    record Snapshot(Map<String, String> values) {
        /** The entries that differ from {@code before}, as "name: before → after". */
        List<String> changesSince(Snapshot before) {
            List<String> changes = new ArrayList<>();
            TreeMap<String, String> all = new TreeMap<>(before.values());
            all.putAll(values);
            for (String key : all.keySet()) {
                String a = before.values().get(key);
                String b = values.get(key);
                if (!Objects.equals(a, b)) {
                    changes.add(key + ": " + a + " → " + b);
                }
            }
            return changes;
        }
    }

    /** Every agent:* stream and the last id ever added to it, in one round trip. */
    private static final String STREAM_IDS = """
            local out = {}
            for _, k in ipairs(redis.call('KEYS', 'agent:*')) do
              if redis.call('TYPE', k)['ok'] == 'stream' then
                local info = redis.call('XINFO', 'STREAM', k)
                for i = 1, #info, 2 do
                  if info[i] == 'last-generated-id' then
                    table.insert(out, k)
                    table.insert(out, info[i + 1])
                  end
                end
              end
            end
            return out
            """;

    private final Map<String, Connection> databases = new TreeMap<>();
    private final Map<String, List<String>> tables = new TreeMap<>();
    private final Map<String, String> countSql = new TreeMap<>();
    private final WireMockServer vendor;
    private final Socket redis;
    private final OutputStream redisOut;
    private final InputStream redisIn;

    WriteProbe(Platform platform, List<Platform.Service> services, int redisPort) throws SQLException, IOException {
        this.vendor = platform.fakeVendor;
        for (Platform.Service s : services) {
            Connection c = platform.superuserConnection(s);
            List<String> names = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                            + "AND table_type = 'BASE TABLE' AND table_name <> 'flyway_schema_history' ORDER BY 1")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            databases.put(s.database(), c);
            tables.put(s.database(), names);
            if (!names.isEmpty()) {
                countSql.put(s.database(), "SELECT " + String.join(", ", names.stream()
                        .map(t -> "(SELECT count(*) || '/' || coalesce(max(xmin::text::bigint), 0) FROM \"" + t + "\")")
                        .toList()));
            }
        }
        redis = new Socket("127.0.0.1", redisPort);
        redis.setSoTimeout(5000);
        redisOut = redis.getOutputStream();
        redisIn = new BufferedInputStream(redis.getInputStream());
    }

    /** The tables watched, per database (for the report). */
    Map<String, List<String>> tables() {
        return tables;
    }

    Snapshot snapshot() throws SQLException, IOException {
        Map<String, String> values = new TreeMap<>();
        for (Map.Entry<String, String> db : countSql.entrySet()) {
            try (Statement st = databases.get(db.getKey()).createStatement(); ResultSet rs = st.executeQuery(db.getValue())) {
                rs.next();
                List<String> names = tables.get(db.getKey());
                for (int i = 0; i < names.size(); i++) {
                    values.put("db " + db.getKey() + "." + names.get(i) + " (rows/xmin)", rs.getString(i + 1));
                }
            }
        }
        values.put("fake vendor requests", Integer.toString(vendor.countRequestsMatching(RequestPattern.everything()).getCount()));
        List<?> streams = (List<?>) redis("EVAL", STREAM_IDS, "0");
        for (int i = 0; i + 1 < streams.size(); i += 2) {
            values.put("redis stream " + streams.get(i) + " (last id)", String.valueOf(streams.get(i + 1)));
        }
        return values.isEmpty() ? new Snapshot(Map.of()) : new Snapshot(values);
    }

    /** Waits until two snapshots {@code gap} apart are equal (background work of earlier requests done). */
    Snapshot quiet(Duration gap, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Snapshot last = snapshot();
        while (System.nanoTime() < deadline) {
            Thread.sleep(gap.toMillis());
            Snapshot now = snapshot();
            if (now.equals(last)) {
                return now;
            }
            last = now;
        }
        return last;
    }

    // ------------------------------------------------------------------ a minimal RESP client

    private Object redis(String... args) throws IOException {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            sb.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
        }
        redisOut.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        redisOut.flush();
        return read();
    }

    private Object read() throws IOException {
        int type = redisIn.read();
        String line = readLine();
        return switch (type) {
            case '+' -> line;
            case '-' -> throw new IOException("redis: " + line);
            case ':' -> Long.parseLong(line);
            case '$' -> {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    yield null;
                }
                byte[] b = redisIn.readNBytes(n + 2);
                yield new String(b, 0, n, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int n = Integer.parseInt(line);
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    items.add(read());
                }
                yield items;
            }
            default -> throw new IOException("redis: unexpected reply type " + type);
        };
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = redisIn.read()) != '\r') {
            if (c < 0) {
                throw new IOException("redis closed the connection");
            }
            sb.append((char) c);
        }
        redisIn.read(); // \n
        return sb.toString();
    }

    @Override
    public void close() throws Exception {
        redis.close();
        for (Connection c : databases.values()) {
            c.close();
        }
    }
}
