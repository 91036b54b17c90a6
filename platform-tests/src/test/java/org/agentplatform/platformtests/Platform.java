package org.agentplatform.platformtests;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The real platform on this machine: PostgreSQL (one database and role per service), Redis,
 * a fake vendor API (WireMock) and the service jars each repo built, on free ports.
 */
final class Platform implements AutoCloseable {

    /** A service: its name, the repo folder that builds it, its jar's artifactId, its database. */
    record Service(String name, String repo, String artifact, String database) {}

    static final Service GITHUB = new Service("github-service", "github-service-repo", "github-service", "github_service");
    static final Service JIRA = new Service("jira-service", "jira-service-repo", "jira-service", "jira_service");
    static final Service SLACK = new Service("slack-service", "slack-service-repo", "slack-service", "slack_service");
    static final Service SENTRY = new Service("sentry-service", "sentry-service-repo", "sentry-service", "sentry_service");
    static final Service GATEWAY = new Service("gateway", "gateway-repo", "gateway", "gateway");
    static final Service DASHBOARD = new Service("dashboard", "dashboard-repo", "dashboard", "dashboard");
    static final Service AGENT = new Service("agent", "agent-repo", "agent", "agent");

    final Path root = Path.of(System.getProperty("platform.root", "..")).toAbsolutePath().normalize();
    final Path logDir;
    final String webhookSecret = randomToken();
    final String slackSigningSecret = randomToken();
    final String jiraWebhookSecret = randomToken();
    final String sentryClientSecret = randomToken();
    final String dashboardAdminPassword = randomToken();
    final Map<String, String> tokens = new LinkedHashMap<>();
    final WireMockServer fakeVendor;
    private final EmbeddedPostgres pg;
    /** Services whose database lives in a PostgreSQL server of their own, so it can be restarted alone. */
    private final Map<String, EmbeddedPostgres> ownPg = new LinkedHashMap<>();
    private final Map<String, Integer> ownPgPort = new LinkedHashMap<>();
    private RedisServer redis;
    private final int redisPort;
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> envs = new LinkedHashMap<>();

    Platform(String testName, List<Service> wanted, Map<String, String> extraEnv) throws Exception {
        this(testName, wanted, extraEnv, Set.of());
    }

    /** @param ownPostgres services given a PostgreSQL server of their own (see {@link #restartPostgresOf}) */
    Platform(String testName, List<Service> wanted, Map<String, String> extraEnv, Set<Service> ownPostgres) throws Exception {
        logDir = root.resolve("platform-tests/target/platform-logs/" + testName);
        Files.createDirectories(logDir);
        pg = EmbeddedPostgres.builder().start();
        for (Service s : ownPostgres) {
            deleteTree(logDir.resolve("pgdata-" + s.name()));   // a data directory of an earlier run
            ownPgPort.put(s.name(), freePort());
            ownPg.put(s.name(), startOwnPostgres(s));
        }
        redisPort = freePort();
        deleteTree(logDir.resolve("redis"));
        redis = newRedis();
        redis.start();
        fakeVendor = new WireMockServer(WireMockConfiguration.options().port(freePort()).bindAddress("127.0.0.1")
                .extensions(new VendorMessages().extensions()));
        fakeVendor.start();

        for (Service s : wanted) {
            tokens.put(s.name(), randomToken());
        }
        String acceptedTokens = String.join(",", tokens.entrySet().stream()
                .map(e -> e.getKey() + ":" + e.getValue()).toList());
        // a rotation: more name:token pairs every service accepts beside the current ones
        if (extraEnv.containsKey("SERVICE_TOKENS_EXTRA")) {
            acceptedTokens += "," + extraEnv.get("SERVICE_TOKENS_EXTRA");
        }

        Map<String, Integer> ports = new LinkedHashMap<>();
        for (Service s : wanted) {
            ports.put(s.name(), freePort());
        }
        for (Service s : wanted) {
            EmbeddedPostgres server = ownPg.getOrDefault(s.name(), pg);
            createDatabase(server, s.database());
            Map<String, String> env = new LinkedHashMap<>();
            env.put("DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/" + s.database());
            env.put("DATABASE_USER", s.database());
            env.put("DATABASE_PASSWORD", s.database() + "-pw");
            env.put("REDIS_URL", "redis://127.0.0.1:" + redisPort);
            env.put("SERVICE_TOKEN", tokens.get(s.name()));
            env.put("SERVICE_TOKENS", acceptedTokens);
            // Every service learns every other's URL the way ./meta.sh up tells it: <NAME>_URL.
            ports.forEach((name, port) -> env.put(name.toUpperCase().replace('-', '_') + "_URL", "http://127.0.0.1:" + port));
            // The vendors' APIs are all on the one fake, under a prefix each (GitHub at its root).
            env.put("GITHUB_WEBHOOK_SECRET", webhookSecret);
            env.put("GITHUB_API_URL", fakeVendor.baseUrl());
            env.put("GITHUB_TOKEN", "ghp_fake_" + randomToken());
            env.put("SLACK_SIGNING_SECRET", slackSigningSecret);
            env.put("SLACK_API_URL", fakeVendor.baseUrl() + FakeVendors.SLACK_API);
            env.put("SLACK_BOT_TOKEN", "xoxb-fake-" + randomToken());
            env.put("SLACK_RESPONSE_URL_HOSTS", "127.0.0.1,localhost");
            env.put("JIRA_WEBHOOK_SECRET", jiraWebhookSecret);
            env.put("JIRA_BASE_URL", fakeVendor.baseUrl() + FakeVendors.JIRA_BASE);
            env.put("JIRA_EMAIL", "agent@example.com");
            env.put("JIRA_API_TOKEN", "fake-" + randomToken());
            env.put("SENTRY_CLIENT_SECRET", sentryClientSecret);
            env.put("SENTRY_API_URL", fakeVendor.baseUrl() + FakeVendors.SENTRY_API);
            env.put("SENTRY_AUTH_TOKEN", "sntrys_fake_" + randomToken());
            env.put("DASHBOARD_ADMIN_PASSWORD", dashboardAdminPassword);
            env.putAll(extraEnv);
            if (env.containsKey("OTEL_TRACES_EXPORTER")) {
                env.putIfAbsent("OTEL_SERVICE_NAME", s.name()); // as each service's manifest sets it
            }
            envs.put(s.name(), env);
            services.put(s.name(), new ServiceProcess(s.name(), jarOf(s), ports.get(s.name()), env, logDir));
        }
        // Vendor services first, then the agent, then the gateway: the order ./meta.sh up uses.
        try {
            for (ServiceProcess p : services.values()) {
                p.start();
            }
            for (ServiceProcess p : services.values()) {
                p.awaitHealthy(Duration.ofSeconds(90));
            }
        } catch (Exception | Error e) {
            // @AfterAll does not run when @BeforeAll throws: stop what was started here.
            close();
            throw e;
        }
    }

    ServiceProcess service(Service s) {
        return services.get(s.name());
    }

    /** Every process started for this platform, replicas included. */
    java.util.Collection<ServiceProcess> processes() {
        return services.values();
    }

    String tokenOf(Service s) {
        return tokens.get(s.name());
    }

    /** A second process of a service (same database, Redis and configuration, its own port), not started. */
    ServiceProcess replica(Service s, String replicaName) throws IOException {
        Map<String, String> env = new LinkedHashMap<>(envs.get(s.name()));
        ServiceProcess p = new ServiceProcess(replicaName, jarOf(s), freePort(), env, logDir);
        services.put(replicaName, p);
        return p;
    }

    /** The configured secret values every service got: what must never appear in a log. */
    Map<String, String> secretValues() {
        Map<String, String> secrets = new LinkedHashMap<>();
        envs.values().forEach(env -> env.forEach((k, v) -> {
            if (k.matches(".*(SECRET|TOKEN|PASSWORD).*") && !k.equals("SERVICE_TOKENS") && v != null && v.length() >= 8) {
                secrets.put(k, v);
            }
        }));
        return secrets;
    }

    /** The port of the platform's Redis. */
    int redisPort() {
        return redisPort;
    }

    /** Stops Redis (its append-only file is kept, as a managed Redis keeps its data) and starts it on the same port. */
    void stopRedis() throws IOException {
        redis.stop();
    }

    void startRedis() throws IOException {
        redis = newRedis();
        redis.start();
    }

    /** Stops the PostgreSQL server of a service given one of its own; its data directory is kept. */
    void stopPostgresOf(Service s) throws IOException {
        ownPg.remove(s.name()).close();
    }

    void startPostgresOf(Service s) throws IOException {
        ownPg.put(s.name(), startOwnPostgres(s));
    }

    /** The superuser connection to the server holding a service's database. */
    Connection superuserConnection(Service s) throws java.sql.SQLException {
        return ownPg.getOrDefault(s.name(), pg).getDatabase("postgres", s.database()).getConnection();
    }

    private EmbeddedPostgres startOwnPostgres(Service s) throws IOException {
        return EmbeddedPostgres.builder()
                .setPort(ownPgPort.get(s.name()))
                .setDataDirectory(logDir.resolve("pgdata-" + s.name()))
                .setCleanDataDirectory(false)
                .start();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private RedisServer newRedis() throws IOException {
        Path dir = logDir.resolve("redis");
        Files.createDirectories(dir);
        return RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1")
                .setting("appendonly yes").setting("appendfsync everysec").setting("dir " + dir)
                .build();
    }

    private static void createDatabase(EmbeddedPostgres server, String name) throws Exception {
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + name + " LOGIN PASSWORD '" + name + "-pw'");
            st.execute("CREATE DATABASE " + name + " OWNER " + name);
        }
    }

    private Path jarOf(Service s) throws IOException {
        Path target = root.resolve(s.repo()).resolve("target");
        List<Path> jars = new ArrayList<>();
        if (Files.isDirectory(target)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(target, s.artifact() + "-*.jar")) {
                ds.forEach(jars::add);
            }
        }
        jars.removeIf(p -> p.getFileName().toString().startsWith("original-")
                || p.getFileName().toString().endsWith("-tests.jar"));
        if (jars.isEmpty()) {
            throw new IllegalStateException("No jar for " + s.name() + " in " + target
                    + ": build it first (./meta.sh build " + s.repo() + ")");
        }
        return jars.get(0);
    }

    /** Ports handed out by this JVM: a port is given once even after the service on it stopped. */
    private static final Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A port free now, below the kernel's ephemeral range (32768+): between this check and the
     * service's bind, an ephemeral port can be taken by any outgoing connection of the box (a
     * service once failed to start so), a port below it only by another listener.
     */
    static int freePort() throws IOException {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < 200; i++) {
            int port = random.nextInt(20_000, 32_000);
            if (!HANDED_OUT.add(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket(port)) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // a listener of someone else: try another
            }
        }
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
        for (ServiceProcess p : services.values()) {
            p.stop();
        }
        fakeVendor.stop();
        redis.stop();
        for (EmbeddedPostgres own : ownPg.values()) {
            own.close();
        }
        pg.close();
    }
}
