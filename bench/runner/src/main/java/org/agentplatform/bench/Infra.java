package org.agentplatform.bench;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

/**
 * What the services need around them, all on 127.0.0.1: PostgreSQL (a database and login role per
 * service), Redis, and a fake GitHub REST API (WireMock) that notes when each answer arrives.
 */
final class Infra implements AutoCloseable {
    /** The agent's hidden markers: task= in the answer, progress= in its "Working on it" comment. */
    private static final Pattern ANSWER_MARKER = Pattern.compile("agent-platform:task=([A-Za-z0-9._:-]+)");
    private static final Pattern PROGRESS_MARKER = Pattern.compile("agent-platform:progress=([A-Za-z0-9._:-]+)");

    final EmbeddedPostgres pg;
    final RedisServer redis;
    final int redisPort;
    final WireMockServer github;
    /** task id → System.nanoTime() when its answer comment reached the fake GitHub. */
    final Map<String, Long> answers = new ConcurrentHashMap<>();
    /** task id → System.nanoTime() of its first "Working on it" progress comment. */
    final Map<String, Long> progress = new ConcurrentHashMap<>();

    Infra() throws Exception {
        pg = EmbeddedPostgres.builder().start();
        redisPort = freePort();
        redis = RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1").build();
        redis.start();
        // no request journal: tens of thousands of reactions would only fill the heap
        github = new WireMockServer(WireMockConfiguration.options().port(freePort()).bindAddress("127.0.0.1")
                .disableRequestJournal().containerThreads(48));
        github.start();
        stubGithub();
        github.addMockServiceRequestListener((request, response) -> {
            long now = System.nanoTime();
            // RequestMethod is a value class, not an enum: compare names
            String method = request.getMethod().getName();
            if ((method.equals("POST") || method.equals("PATCH"))
                    && request.getUrl().contains("/comments") && !request.getUrl().contains("/reactions")) {
                String body = request.getBodyAsString();
                Matcher answer = ANSWER_MARKER.matcher(body);
                Matcher prog = PROGRESS_MARKER.matcher(body);
                if (answer.find() && !body.contains("Working on it")) {
                    answers.putIfAbsent(answer.group(1), now);
                } else if (prog.find()) {
                    progress.putIfAbsent(prog.group(1), now);
                } else if (answer.find(0)) {
                    progress.putIfAbsent(answer.group(1), now);
                }
            }
        });
    }

    /** GitHub's answers to the calls github-service makes (as platform-tests' FakeGithub answers them). */
    private void stubGithub() {
        github.stubFor(any(urlPathMatching("/.*")).atPriority(10)
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                        .withBody("{\"message\":\"Not Found\",\"documentation_url\":\"https://docs.github.com/rest\"}")));
        github.stubFor(post(urlPathMatching("/repos/[^/]+/[^/]+/(issues|pulls)/comments/[0-9]+/reactions"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":1,\"node_id\":\"MDg6UmVhY3Rpb24x\",\"content\":\"eyes\"}")));
        github.stubFor(post(urlPathMatching("/repos/[^/]+/[^/]+/issues/[0-9]+/comments"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":1555000111,\"html_url\":\"https://github.com/Codertocat/Hello-World/issues/1#issuecomment-1555000111\",\"body\":\"ok\"}")));
        github.stubFor(post(urlPathMatching("/repos/[^/]+/[^/]+/pulls/[0-9]+/comments"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":1555000112,\"body\":\"ok\"}")));
        github.stubFor(patch(urlPathMatching("/repos/[^/]+/[^/]+/(issues|pulls)/comments/[0-9]+"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":1555000111,\"body\":\"ok\"}")));
    }

    /** Creates a login role and its own database; returns the JDBC URL. */
    String createDatabase(String name) throws Exception {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + name + " LOGIN PASSWORD '" + name + "-pw'");
            st.execute("CREATE DATABASE " + name + " OWNER " + name);
        }
        return "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/" + name;
    }

    /** One number from a query in a service's database (as superuser). */
    long queryLong(String database, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.getJdbcUrl("postgres", database));
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long redisPid = -1;

    /** The embedded redis-server's pid (found by its port on the command line), for CPU accounting. */
    long redisPid() {
        if (redisPid > 0) {
            return redisPid;
        }
        try (var dirs = java.nio.file.Files.list(java.nio.file.Path.of("/proc"))) {
            for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) dirs::iterator) {
                if (!p.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String cmd = new String(java.nio.file.Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ');
                    if (cmd.contains("redis-server") && cmd.contains(Integer.toString(redisPort))) {
                        redisPid = Long.parseLong(p.getFileName().toString());
                        return redisPid;
                    }
                } catch (Exception gone) {
                    // the process ended meanwhile
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }

    /** The postmaster's pid: the parent of a backend, read while that backend's connection is open. */
    long postmasterPid() throws Exception {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return CpuMeter.ppid(rs.getLong(1));
        }
    }

    String redisUrl() {
        return "redis://127.0.0.1:" + redisPort;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String randomToken() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Override
    public void close() throws Exception {
        github.stop();
        redis.stop();
        pg.close();
    }
}
