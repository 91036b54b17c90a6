package org.agentplatform.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * ./meta.sh bench: the platform's real jars on 127.0.0.1, each figure beside a baseline measured
 * in the same run. Phases, in order (see README.md for what each figure means):
 * baseline app (start, saturation, 500 req/s, RSS) → github-service + gateway (start, saturation,
 * 500 req/s) → raw Redis hop → agent dry-run (start, queue pickup, end to end) → RSS of all →
 * agent scaling with the command runner (1, 2, 4 workers).
 */
public final class Bench {
    // sizes chosen so the whole run stays well under 10 minutes on 2 cores
    static final boolean QUICK = Boolean.getBoolean("bench.quick"); // a short smoke run while developing the bench
    static final int WRK_THREADS = 2;
    static final int WRK_CONNECTIONS = 32;
    static final int WARMUP_SECONDS = 3;
    static final int SATURATION_SECONDS = QUICK ? 3 : 8;
    static final int FIXED_RATE = 500;
    static final int FIXED_SECONDS = QUICK ? 3 : 10;
    static final int PICKUP_WARMUP = 20;
    static final int PICKUP_SAMPLES = QUICK ? 30 : 200;
    static final int RAW_HOP_SAMPLES = 1000;
    static final int E2E_RATE = 10;
    static final int E2E_WARMUP_SECONDS = 2;
    static final int E2E_SECONDS = QUICK ? 3 : 12;
    static final int TASKS_PER_WORKER = QUICK ? 5 : 30;
    static final String SLEEP_COMMAND = "sleep 0.2; echo ok";
    static final Duration BUDGET = Duration.ofSeconds(Long.getLong("bench.budgetSeconds", 540));

    private final Path root;
    private final Path out;
    private final Path work;
    private final List<String> jvmOpts;
    private final Results results = new Results();
    private final Instant started = Instant.now();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(2)).build();
    private final List<Svc> running = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Bench(Path root) throws Exception {
        this.root = root;
        this.out = root.resolve("bench");
        this.work = out.resolve("target/run");
        this.jvmOpts = Arrays.stream(System.getProperty("bench.javaOpts",
                "-Xms64m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1").trim().split("\\s+")).toList();
        Files.createDirectories(work);
        Files.createDirectories(out.resolve("profiles"));
    }

    public static void main(String[] args) throws Exception {
        // the embedded PostgreSQL logs every server line at INFO: keep the console for the figures
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Path root = Path.of(args.length > 0 ? args[0] : "..").toAbsolutePath().normalize();
        Bench b = new Bench(root);
        // Ctrl-C or a kill: the JVMs under test are our children and must not outlive the run
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Svc s : new ArrayList<>(b.running)) {
                s.kill();
            }
        }));
        int rc = 0;
        try {
            b.run();
        } catch (Throwable t) {
            t.printStackTrace();
            b.results.notes.add("The run stopped early: " + t);
            rc = 1;
        } finally {
            b.finish();
        }
        System.exit(rc);
    }

    private boolean timeLeft(String phase, int needSeconds) {
        Duration used = Duration.between(started, Instant.now());
        if (used.plusSeconds(needSeconds).compareTo(BUDGET) > 0) {
            results.notes.add("Skipped '" + phase + "': the run's time budget (" + BUDGET.toSeconds() + " s) was nearly used up ("
                    + used.toSeconds() + " s).");
            System.out.println("! skipping " + phase + ": time budget");
            return false;
        }
        return true;
    }

    private static void phase(String s) {
        System.out.println("▶ " + s + " (" + Instant.now() + ")");
    }

    private void run() throws Exception {
        results.machine.put("started_at", started.toString());
        results.machine.put("cpus", Runtime.getRuntime().availableProcessors());
        results.machine.put("loadavg_before", loadavg());
        results.machine.put("java", System.getProperty("java.version"));
        results.machine.put("service_jvm_opts", String.join(" ", jvmOpts));
        Path baselineJar = out.resolve("baseline-app/target/bench-baseline-app-0.1.0.jar");
        Path githubJar = jarOf("github-service-repo", "github-service");
        Path gatewayJar = jarOf("gateway-repo", "gateway");
        Path agentJar = jarOf("agent-repo", "agent");
        Map<String, Object> jars = new LinkedHashMap<>();
        for (Path j : List.of(githubJar, gatewayJar, agentJar, baselineJar)) {
            jars.put(root.relativize(j).toString(), Files.getLastModifiedTime(j).toString());
        }
        results.details.put("jars_built_at", jars);

        String secret = Infra.randomToken();
        Deliveries deliveries = new Deliveries(secret, 3_000_000_000L);
        Wrk wrk = new Wrk(work.resolve("wrk"));
        OpenLoop openLoop = new OpenLoop();
        Path logs = work.resolve("logs");
        if (Files.isDirectory(logs)) {
            try (DirectoryStream<Path> old = Files.newDirectoryStream(logs)) {
                for (Path f : old) {
                    Files.delete(f); // logs of the previous run; this run's start fresh
                }
            }
        }
        Path jfrDir = work.resolve("jfr");
        Files.createDirectories(jfrDir);

        phase("unique signed deliveries for wrk");
        Path[] blWarm = wrk.prepare("baseline-warmup", deliveries, 20_000);
        Path[] blSat = wrk.prepare("baseline", deliveries, 60_000);
        Path[] gwWarm = wrk.prepare("gateway-warmup", deliveries, 20_000);
        Path[] gwSat = wrk.prepare("gateway", deliveries, 60_000);
        Path[] diagWarm = wrk.prepare("gateway-no-reactions-warmup", deliveries, 20_000);
        Path[] diagSat = wrk.prepare("gateway-no-reactions", deliveries, 60_000);

        // ---------------------------------------------------------------- the baseline app
        phase("baseline: bare Micronaut endpoint");
        Svc baseline = new Svc("baseline-app", baselineJar, Infra.freePort(), jvmOpts, logs);
        running.add(baseline);
        double baselineStartMs = baseline.startAndAwaitHealthy(Duration.ofSeconds(60));
        baseline.jfrStart();
        wrk.run(baseline.url(), blWarm, WRK_THREADS, WRK_CONNECTIONS, WARMUP_SECONDS);
        long self = ProcessHandle.current().pid();
        CpuMeter blCpu = new CpuMeter().add("baseline_app", () -> CpuMeter.ticks(baseline.pid(), false))
                .add("wrk", () -> CpuMeter.childTicks(self)).add("bench_jvm", () -> CpuMeter.ticks(self, false));
        blCpu.begin();
        Wrk.Result blSatResult = wrk.run(baseline.url(), blSat, WRK_THREADS, WRK_CONNECTIONS, SATURATION_SECONDS);
        Map<String, Object> blSatCpu = blCpu.end();
        OpenLoop.Result blFixed = openLoop.run(baseline.url(), deliveries, FIXED_RATE, 2, FIXED_SECONDS);
        double baselineRss = baseline.rssMb();
        Path blJfr = jfrDir.resolve("baseline-app.jfr");
        boolean blJfrOk = baseline.jfrStop(blJfr);
        baseline.stop();
        running.remove(baseline);
        Map<String, Object> blSatMap = blSatResult.toMap();
        blSatMap.put("cpu_share", blSatCpu);
        results.details.put("baseline_saturation", blSatMap);
        results.details.put("baseline_fixed_rate", blFixed.toMap());
        results.details.put("baseline_start_ms", baselineStartMs);
        results.details.put("baseline_rss_mb", baselineRss);
        if (blJfrOk) {
            profile(blJfr, "baseline-app under saturation + 500 req/s");
        }

        try (Infra infra = new Infra(); Queue queue = new Queue(startInfraUrl(infra))) {
            // ------------------------------------------------------------ the platform
            Map<String, String> tokens = new LinkedHashMap<>();
            for (String s : List.of("github-service", "gateway", "agent")) {
                tokens.put(s, Infra.randomToken());
            }
            Map<String, Integer> ports = new LinkedHashMap<>();
            for (String s : tokens.keySet()) {
                ports.put(s, Infra.freePort());
            }
            Map<String, String> dbUrls = new LinkedHashMap<>();
            dbUrls.put("github-service", infra.createDatabase("github_service"));
            dbUrls.put("gateway", infra.createDatabase("gateway"));
            dbUrls.put("agent", infra.createDatabase("agent"));
            String accepted = String.join(",", tokens.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).toList());
            java.util.function.BiFunction<String, Path, Svc> make = (name, jar) -> {
                Svc s = new Svc(name, jar, ports.get(name), jvmOpts, logs);
                String db = name.replace('-', '_');
                s.env.put("DATABASE_URL", dbUrls.get(name));
                s.env.put("DATABASE_USER", db);
                s.env.put("DATABASE_PASSWORD", db + "-pw");
                s.env.put("REDIS_URL", infra.redisUrl());
                s.env.put("SERVICE_TOKEN", tokens.get(name));
                s.env.put("SERVICE_TOKENS", accepted);
                ports.forEach((n, p) -> s.env.put(n.toUpperCase().replace('-', '_') + "_URL", "http://127.0.0.1:" + p));
                s.env.put("GITHUB_WEBHOOK_SECRET", secret);
                s.env.put("GITHUB_API_URL", infra.github.baseUrl());
                s.env.put("GITHUB_TOKEN", "ghp_fake_" + Infra.randomToken());
                return s;
            };

            phase("github-service and gateway: start → healthy");
            Svc github = make.apply("github-service", githubJar);
            running.add(github);
            double githubStartMs = github.startAndAwaitHealthy(Duration.ofSeconds(90));
            Svc gateway = make.apply("gateway", gatewayJar);
            running.add(gateway);
            double gatewayStartMs = gateway.startAndAwaitHealthy(Duration.ofSeconds(90));
            github.jfrStart();
            gateway.jfrStart();

            phase("gateway: saturation with wrk");
            Wrk.Result gwWarmResult = wrk.run(gateway.url(), gwWarm, WRK_THREADS, WRK_CONNECTIONS, WARMUP_SECONDS);
            long tasksBefore = infra.queryLong("gateway", "select count(*) from task");
            long postmaster = infra.postmasterPid();
            long self2 = ProcessHandle.current().pid();
            java.util.function.Supplier<CpuMeter> platformCpu = () -> new CpuMeter()
                    .add("gateway", () -> CpuMeter.ticks(gateway.pid(), false))
                    .add("github_service", () -> CpuMeter.ticks(github.pid(), false))
                    .add("postgresql", () -> CpuMeter.processTree(postmaster))
                    .add("redis", () -> CpuMeter.ticks(infra.redisPid(), false))
                    .add("wrk", () -> CpuMeter.childTicks(self2))
                    .add("bench_jvm_incl_fake_github", () -> CpuMeter.ticks(self2, false));
            CpuMeter gwCpu = platformCpu.get();
            gwCpu.begin();
            Wrk.Result gwSatResult = wrk.run(gateway.url(), gwSat, WRK_THREADS, WRK_CONNECTIONS, SATURATION_SECONDS);
            Map<String, Object> gwSatCpu = gwCpu.end();
            long tasksAfter = infra.queryLong("gateway", "select count(*) from task");
            Map<String, Object> gwSatMap = gwSatResult.toMap();
            gwSatMap.put("tasks_stored_during_run", tasksAfter - tasksBefore);
            gwSatMap.put("cpu_share", gwSatCpu);
            gwSatMap.put("warmup", gwWarmResult.toMap());
            gwSatMap.put("after_answer_backlog_drain", drain(infra, 60));
            gwSatMap.put("tasks_on_redis_after_drain", queue.taskStreamsLength());
            gwSatMap.put("tasks_in_gateway_db", infra.queryLong("gateway", "select count(*) from task"));
            results.details.put("gateway_saturation", gwSatMap);
            double ratio = gwSatResult.goodPerSecond() / blSatResult.goodPerSecond();
            results.add(new Results.Figure("ingest_throughput", "Webhook ingest throughput at saturation (wrk -t"
                    + WRK_THREADS + " -c" + WRK_CONNECTIONS + ", " + SATURATION_SECONDS + " s)",
                    gwSatResult.goodPerSecond(), "req/s", blSatResult.goodPerSecond(), "bare Micronaut 202", ratio,
                    "ratio ≥ 0.5", ratio >= 0.5, gwSatResult.statusErrors() + " non-2xx, "
                    + (tasksAfter - tasksBefore) + " tasks stored"));
            if (gwSatResult.wraps() > 0) {
                results.notes.add("wrk ran out of unique deliveries on the gateway (" + gwSatResult.wraps()
                        + " reuses): part of the load was answered as duplicates.");
            }

            phase("gateway: open loop at " + FIXED_RATE + " req/s");
            CpuMeter fixedCpu = platformCpu.get();
            fixedCpu.begin();
            OpenLoop.Result gwFixed = openLoop.run(gateway.url(), deliveries, FIXED_RATE, 2, FIXED_SECONDS);
            Map<String, Object> gwFixedMap = gwFixed.toMap();
            gwFixedMap.put("cpu_share", fixedCpu.end());
            gwFixedMap.put("after_answer_backlog_drain", drain(infra, 45));
            results.details.put("gateway_fixed_rate", gwFixedMap);
            String failNote = gwFixed.failed() > 0 ? gwFixed.failed() + " of " + gwFixed.sent() + " not 202 ("
                    + gwFixed.unfinished() + " unanswered " + OpenLoop.CUTOFF_SECONDS + " s after the last was due)"
                    : gwFixed.sent() + " requests, all 202";
            results.add(new Results.Figure("ingest_p50", "Webhook ingest p50 at " + FIXED_RATE + " req/s (open loop)",
                    gwFixed.p50Ms(), "ms", blFixed.p50Ms(), "bare Micronaut 202", gwFixed.p50Ms() / blFixed.p50Ms(),
                    "(p99 goal below)", null, failNote));
            results.add(new Results.Figure("ingest_p99", "Webhook ingest p99 at " + FIXED_RATE + " req/s (open loop)",
                    gwFixed.p99Ms(), "ms", blFixed.p99Ms(), "bare Micronaut 202", gwFixed.p99Ms() / blFixed.p99Ms(),
                    "p99 < 10 ms", gwFixed.failed() == 0 && gwFixed.p99Ms() < 10, failNote));

            // ------------------------------------------------------------ Redis and the agent
            phase("raw Redis stream hop (Lettuce, XADD → XREADGROUP BLOCK)");
            String samplePayload = Queue.apiTask(UUID.randomUUID().toString(), "bench raw hop");
            Histogram raw = queue.rawStreamHop(RAW_HOP_SAMPLES, samplePayload);
            results.details.put("raw_redis_hop", histogramMap(raw, "ms"));

            queue.dropTaskStreams(); // the ingest phases' tasks are not the agent's work here
            queue.listenToEvents();
            phase("agent (dry-run): start → healthy");
            Svc agent = make.apply("agent", agentJar);
            agent.env.put("AGENT_RUNNER", "dry-run");
            running.add(agent);
            double agentStartMs = agent.startAndAwaitHealthy(Duration.ofSeconds(90));
            agent.jfrStart();

            phase("queue pickup: enqueue → runner started");
            Histogram pickup = new Histogram(3);
            int pickupLost = 0;
            for (int i = 0; i < PICKUP_WARMUP + PICKUP_SAMPLES; i++) {
                String id = UUID.randomUUID().toString();
                long t0 = queue.enqueue(id, Queue.apiTask(id, "bench pickup " + i));
                Long t1 = await(() -> queue.event("started", id), 5000);
                await(() -> queue.event("succeeded", id), 5000);
                if (t1 == null) {
                    pickupLost++;
                } else if (i >= PICKUP_WARMUP) {
                    pickup.recordValue(Math.max(1, (t1 - t0) / 1000));
                }
                Thread.sleep(5);
            }
            Map<String, Object> pickupMap = histogramMap(pickup, "ms");
            pickupMap.put("never_started", pickupLost);
            results.details.put("queue_pickup", pickupMap);
            double rawP50 = raw.getValueAtPercentile(50) / 1000.0;
            double rawP99 = raw.getValueAtPercentile(99) / 1000.0;
            double pickP50 = pickup.getValueAtPercentile(50) / 1000.0;
            double pickP99 = pickup.getValueAtPercentile(99) / 1000.0;
            results.add(new Results.Figure("pickup_p50", "Queue pickup p50 (enqueue → runner started)", pickP50, "ms",
                    rawP50, "raw Redis XADD→XREADGROUP hop", pickP50 / rawP50, "(p99 goal below)", null,
                    pickup.getTotalCount() + " tasks, one at a time"));
            results.add(new Results.Figure("pickup_p99", "Queue pickup p99 (enqueue → runner started)", pickP99, "ms",
                    rawP99, "raw Redis XADD→XREADGROUP hop", pickP99 / rawP99, "ratio < 3×",
                    pickupLost == 0 && pickP99 / rawP99 < 3, pickupLost + " never started"));

            if (timeLeft("end to end", 60)) {
                phase("end to end: webhook → answer comment at the fake GitHub (dry-run), " + E2E_RATE + "/s");
                Map<String, Long> sentAt = new ConcurrentHashMap<>();
                AtomicInteger notAccepted = new AtomicInteger();
                AtomicInteger outstanding = new AtomicInteger();
                int total = E2E_RATE * (E2E_WARMUP_SECONDS + E2E_SECONDS);
                int warm = E2E_RATE * E2E_WARMUP_SECONDS;
                long period = 1_000_000_000L / E2E_RATE;
                long start = System.nanoTime();
                List<String> recorded = new ArrayList<>();
                List<String> warmIds = new ArrayList<>();
                for (int i = 0; i < total; i++) {
                    long due = start + i * period;
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    long cid = deliveries.nextCommentId();
                    byte[] body = deliveries.body(cid);
                    HttpRequest req = HttpRequest.newBuilder(URI.create(gateway.url() + "/webhooks/github"))
                            .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                            .header("User-Agent", "GitHub-Hookshot/bench").header("X-GitHub-Event", "issue_comment")
                            .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                            .header("X-Hub-Signature-256", deliveries.signature(body))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                    boolean rec = i >= warm;
                    outstanding.incrementAndGet();
                    long t0 = System.nanoTime();
                    http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                        try {
                            JsonNode ack = e == null && r.statusCode() == 202 ? Deliveries.JSON.readTree(r.body()) : null;
                            String taskId = ack == null ? null : ack.path("task_id").asText(null);
                            if (taskId == null) {
                                notAccepted.incrementAndGet();
                            } else {
                                sentAt.put(taskId, t0);
                                synchronized (recorded) {
                                    (rec ? recorded : warmIds).add(taskId);
                                }
                            }
                        } catch (Exception ex) {
                            notAccepted.incrementAndGet();
                        } finally {
                            outstanding.decrementAndGet();
                        }
                    });
                }
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (System.nanoTime() < deadline) {
                    boolean all;
                    synchronized (recorded) {
                        all = outstanding.get() == 0 && recorded.stream().allMatch(infra.answers::containsKey);
                    }
                    if (all) {
                        break;
                    }
                    Thread.sleep(50);
                }
                Histogram e2e = new Histogram(3);
                Histogram firstVisible = new Histogram(3);
                Histogram toStarted = new Histogram(3);
                Histogram startedToAnswer = new Histogram(3);
                int unanswered = 0;
                synchronized (recorded) {
                    for (String id : recorded) {
                        Long a = infra.answers.get(id);
                        if (a == null) {
                            unanswered++;
                        } else {
                            e2e.recordValue(Math.max(1, (a - sentAt.get(id)) / 1000));
                        }
                        Long st = queue.event("started", id);
                        if (st != null) {
                            toStarted.recordValue(Math.max(1, (st - sentAt.get(id)) / 1000));
                            if (a != null) {
                                startedToAnswer.recordValue(Math.max(1, (a - st) / 1000));
                            }
                        }
                        Long p = infra.progress.get(id);
                        if (p != null) {
                            firstVisible.recordValue(Math.max(1, (p - sentAt.get(id)) / 1000));
                        }
                    }
                }
                Map<String, Object> e2eMap = histogramMap(e2e, "ms");
                e2eMap.put("deliveries_recorded", recorded.size());
                e2eMap.put("not_accepted", notAccepted.get());
                e2eMap.put("unanswered_after_30s", unanswered);
                e2eMap.put("progress_comments_seen", infra.progress.size());
                e2eMap.put("webhook_sent_to_runner_started", histogramMap(toStarted, "ms"));
                e2eMap.put("runner_started_to_answer_at_github", histogramMap(startedToAnswer, "ms"));
                if (firstVisible.getTotalCount() > 0) {
                    e2eMap.put("webhook_to_progress_comment", histogramMap(firstVisible, "ms"));
                }
                results.details.put("end_to_end", e2eMap);
                double e2eP50 = e2e.getValueAtPercentile(50) / 1000.0;
                double e2eP99 = e2e.getValueAtPercentile(99) / 1000.0;
                // the floor: the hops the answer must make at least — the webhook's HTTP round trip, the
                // queue hop, and two HTTP calls (agent → github-service → GitHub) — each at its bare cost
                double floor = 3 * blFixed.p50Ms() + rawP50;
                String e2eNote = recorded.size() + " deliveries at " + E2E_RATE + "/s, " + unanswered + " unanswered";
                results.add(new Results.Figure("e2e_p50", "End to end p50: webhook → answer comment (dry-run)", e2eP50,
                        "ms", floor, "3 bare HTTP round trips + raw Redis hop", e2eP50 / floor, "p50 < 50 ms",
                        unanswered == 0 && e2eP50 < 50, e2eNote));
                results.add(new Results.Figure("e2e_p99", "End to end p99: webhook → answer comment (dry-run)", e2eP99,
                        "ms", floor, "3 bare HTTP round trips + raw Redis hop", e2eP99 / floor, "(p50 goal above)",
                        null, e2eNote));
            }

            phase("resident memory after the load");
            double githubRss = github.rssMb();
            double gatewayRss = gateway.rssMb();
            double agentRss = agent.rssMb();
            profileStop(github, jfrDir, "github-service during gateway load and end to end");
            profileStop(gateway, jfrDir, "gateway during saturation, 500 req/s and end to end");
            profileStop(agent, jfrDir, "agent (dry-run) during queue pickup and end to end");
            agent.stop();
            running.remove(agent);

            Map<String, double[]> startRss = new LinkedHashMap<>();
            startRss.put("gateway", new double[] {gatewayStartMs, gatewayRss});
            startRss.put("github-service", new double[] {githubStartMs, githubRss});
            startRss.put("agent", new double[] {agentStartMs, agentRss});

            // ------------------------------------------------------------ agent scaling
            Map<String, Object> scaling = new LinkedHashMap<>();
            if (timeLeft("agent scaling", 75)) {
                phase("agent scaling: command runner `" + SLEEP_COMMAND + "`");
                double commandSeconds = commandBaselineSeconds();
                scaling.put("command_seconds_measured", commandSeconds);
                List<Double> agentStarts = new ArrayList<>();
                for (int workers : new int[] {1, 2, 4}) {
                    if (!timeLeft("agent scaling with " + workers + " workers", 25)) {
                        break;
                    }
                    queue.dropTaskStreams();
                    Svc a = make.apply("agent", agentJar);
                    a.env.put("AGENT_RUNNER", "command");
                    a.env.put("AGENT_COMMAND", SLEEP_COMMAND);
                    a.env.put("AGENT_WORKERS", Integer.toString(workers));
                    running.add(a);
                    agentStarts.add(a.startAndAwaitHealthy(Duration.ofSeconds(90)));
                    if (workers != 2) {
                        a.jfrStart();
                    }
                    Thread.sleep(500); // workers subscribe right after /health is up
                    int n = TASKS_PER_WORKER * workers;
                    List<String> ids = new ArrayList<>();
                    long t0 = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        String id = UUID.randomUUID().toString();
                        ids.add(id);
                        queue.enqueue(id, Queue.apiTask(id, "bench scaling " + i));
                    }
                    long deadline = System.nanoTime() + Duration.ofSeconds(20L + n / workers).toNanos();
                    while (System.nanoTime() < deadline
                            && !ids.stream().allMatch(id -> queue.event("succeeded", id) != null)) {
                        Thread.sleep(20);
                    }
                    long done = ids.stream().map(id -> queue.event("succeeded", id)).filter(x -> x != null).count();
                    long last = ids.stream().map(id -> queue.event("succeeded", id)).filter(x -> x != null)
                            .mapToLong(Long::longValue).max().orElse(System.nanoTime());
                    double seconds = (last - t0) / 1e9;
                    double perSecond = done / seconds;
                    double ideal = workers / commandSeconds;
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("tasks", n);
                    m.put("succeeded", done);
                    m.put("seconds", seconds);
                    m.put("tasks_per_second", perSecond);
                    m.put("ideal_tasks_per_second", ideal);
                    m.put("ideal_at_exactly_200ms", workers / 0.2);
                    // what each task costs beyond the command itself, per worker
                    m.put("overhead_per_task_ms", (seconds * workers / Math.max(1, done) - commandSeconds) * 1000);
                    if (scaling.get("1_workers") instanceof Map<?, ?> one) {
                        m.put("speedup_vs_1_worker", perSecond / (Double) one.get("tasks_per_second"));
                    }
                    scaling.put(workers + "_workers", m);
                    if (workers != 2) {
                        Path f = jfrDir.resolve("agent-command-" + workers + "w.jfr");
                        if (a.jfrStop(f)) {
                            profile(f, "agent, command runner, " + workers + " worker(s), during the scaling run");
                        }
                    }
                    a.stop();
                    running.remove(a);
                    double f = perSecond / ideal;
                    results.add(new Results.Figure("scaling_" + workers, "Agent scaling, " + workers + " worker"
                            + (workers > 1 ? "s" : "") + " (runner sleeps 200 ms)", perSecond, "tasks/s", ideal,
                            workers + " ÷ measured command time", f, "≥ 0.9 of ideal", done == n && f >= 0.9,
                            done + "/" + n + " tasks in " + String.format("%.2f", seconds) + " s"));
                }
                scaling.put("agent_start_ms_per_run", agentStarts);
            }
            results.details.put("agent_scaling", scaling);

            for (Map.Entry<String, double[]> e : startRss.entrySet()) {
                double ms = e.getValue()[0];
                results.add(new Results.Figure("start_" + e.getKey(), e.getKey() + ": process start → /health 200",
                        ms / 1000.0, "s", baselineStartMs / 1000.0, "bare Micronaut app", ms / baselineStartMs,
                        "< 2 s", ms < 2000, null));
            }
            for (Map.Entry<String, double[]> e : startRss.entrySet()) {
                double mb = e.getValue()[1];
                results.add(new Results.Figure("rss_" + e.getKey(), e.getKey() + ": resident memory after the load",
                        mb, "MiB", baselineRss, "bare Micronaut app after its load", mb / baselineRss, "< 200 MB",
                        mb * 1.048576 < 200, null));
            }
            // ------------------------------------------------------------ diagnostic (not a figure)
            if (timeLeft("diagnostic: gateway saturation without eyes reactions", 45)) {
                phase("diagnostic: gateway saturation with github-service unreachable (no eyes reactions)");
                gateway.stop();
                running.remove(gateway);
                Svc bare = make.apply("gateway", gatewayJar);
                // connection refused at once and no retry: the reaction costs its DB bookkeeping only
                bare.env.put("GITHUB_SERVICE_URL", "http://127.0.0.1:" + Infra.freePort());
                bare.env.put("GATEWAY_REACTION_ATTEMPTS", "1");
                running.add(bare);
                bare.startAndAwaitHealthy(Duration.ofSeconds(90));
                wrk.run(bare.url(), diagWarm, WRK_THREADS, WRK_CONNECTIONS, WARMUP_SECONDS);
                long before = infra.queryLong("gateway", "select count(*) from task");
                CpuMeter diagCpu = new CpuMeter().add("gateway", () -> CpuMeter.ticks(bare.pid(), false))
                        .add("postgresql", () -> CpuMeter.processTree(postmaster))
                        .add("wrk", () -> CpuMeter.childTicks(self2));
                diagCpu.begin();
                Wrk.Result diag = wrk.run(bare.url(), diagSat, WRK_THREADS, WRK_CONNECTIONS, SATURATION_SECONDS);
                Map<String, Object> diagMap = diag.toMap();
                diagMap.put("cpu_share", diagCpu.end());
                diagMap.put("tasks_stored_during_run", infra.queryLong("gateway", "select count(*) from task") - before);
                diagMap.put("ratio_to_bare_micronaut", diag.goodPerSecond() / blSatResult.goodPerSecond());
                diagMap.put("ratio_to_gateway_with_reactions", diag.goodPerSecond() / gwSatResult.goodPerSecond());
                results.details.put("diagnostic_gateway_saturation_without_reactions", diagMap);
                results.notes.add(String.format("Diagnostic: with github-service unreachable (eyes reactions fail at once, "
                        + "no retry) the gateway took %.0f req/s at saturation, %.2f× the bare endpoint and %.1f× "
                        + "the gateway with reactions: the share of the ingest gap due to the after-answer fan-out.",
                        diag.goodPerSecond(), diag.goodPerSecond() / blSatResult.goodPerSecond(),
                        diag.goodPerSecond() / gwSatResult.goodPerSecond()));
                bare.stop();
                running.remove(bare);
            }
            for (Svc s : new ArrayList<>(running)) {
                s.stop();
                running.remove(s);
            }
            // ------------------------------------------------------------ start-up with an AppCDS archive
            if (timeLeft("start-up with AppCDS", 100)) {
                appCds(make, Map.of("github-service", githubJar, "gateway", gatewayJar, "agent", agentJar),
                        baselineJar, logs);
            }
            results.details.put("start_ms", Map.of("gateway", gatewayStartMs, "github-service", githubStartMs,
                    "agent", agentStartMs, "baseline-app", baselineStartMs));
            results.details.put("rss_mib", Map.of("gateway", gatewayRss, "github-service", githubRss, "agent", agentRss,
                    "baseline-app", baselineRss));
            for (Svc s : new ArrayList<>(running)) {
                s.stop();
                running.remove(s);
            }
        }
    }

    /**
     * Start-up with a dynamic AppCDS archive (JDK 17: {@code -XX:ArchiveClassesAtExit} on a training
     * start that is stopped once healthy, then {@code -XX:SharedArchiveFile}): the classes Micronaut
     * loads at start come mapped from the archive instead of being read, verified and parsed from
     * the jar. The bare app gets the same treatment, so the ratio stays like for like.
     */
    private void appCds(java.util.function.BiFunction<String, Path, Svc> make, Map<String, Path> jars, Path baselineJar,
                        Path logs) throws Exception {
        phase("start-up with an AppCDS archive (training start, then the measured one)");
        Path cds = work.resolve("cds");
        Files.createDirectories(cds);
        Map<String, Object> detail = new LinkedHashMap<>();
        int baselinePort = Infra.freePort();
        java.util.function.Function<String, Svc> fresh = name -> name.equals("baseline-app")
                ? new Svc("baseline-app", baselineJar, baselinePort, jvmOpts, logs)
                : make.apply(name, jars.get(name));
        List<String> names = new ArrayList<>(List.of("baseline-app"));
        names.addAll(jars.keySet().stream().sorted().toList());
        Map<String, Double> withCds = new LinkedHashMap<>();
        for (String name : names) {
            Path archive = cds.resolve(name + ".jsa");
            Files.deleteIfExists(archive);
            Svc training = fresh.apply(name);
            training.extraJvmOpts.add("-XX:ArchiveClassesAtExit=" + archive);
            running.add(training);
            double trainingMs = training.startAndAwaitHealthy(Duration.ofSeconds(90));
            training.stop(); // the archive is written as the JVM exits
            running.remove(training);
            if (!Files.isRegularFile(archive)) {
                results.notes.add("AppCDS: no archive was written for " + name + " (see its log); not measured.");
                continue;
            }
            Svc measured = fresh.apply(name);
            measured.extraJvmOpts.add("-XX:SharedArchiveFile=" + archive);
            running.add(measured);
            double ms = measured.startAndAwaitHealthy(Duration.ofSeconds(90));
            measured.stop();
            running.remove(measured);
            withCds.put(name, ms);
            detail.put(name, Map.of("training_start_ms", trainingMs, "start_ms", ms,
                    "archive_mib", Files.size(archive) / 1048576.0));
        }
        results.details.put("start_with_appcds", detail);
        Double base = withCds.get("baseline-app");
        for (String name : jars.keySet().stream().sorted().toList()) {
            Double ms = withCds.get(name);
            if (ms == null || base == null) {
                continue;
            }
            results.add(new Results.Figure("start_cds_" + name, name + ": process start → /health 200 with AppCDS",
                    ms / 1000.0, "s", base / 1000.0, "bare Micronaut app with AppCDS", ms / base, "< 2 s", ms < 2000,
                    null));
        }
    }

    private String startInfraUrl(Infra infra) {
        phase("PostgreSQL, Redis and the fake GitHub are up");
        return infra.redisUrl();
    }

    /** Waits until the gateway's outbox and reaction backlog are empty; returns what it saw. */
    private Map<String, Object> drain(Infra infra, int maxSeconds) throws Exception {
        long t0 = System.nanoTime();
        long outbox = -1;
        long reactions = -1;
        while (System.nanoTime() - t0 < maxSeconds * 1_000_000_000L) {
            outbox = infra.queryLong("gateway", "select count(*) from task where enqueued_at is null");
            reactions = infra.queryLong("gateway", "select count(*) from task where reaction_state = 'pending'");
            if (outbox == 0 && reactions == 0) {
                break;
            }
            Thread.sleep(250);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", (System.nanoTime() - t0) / 1e9);
        m.put("outbox_left", outbox);
        m.put("reactions_pending_left", reactions);
        return m;
    }

    /** The command the scaling runs use, run by the bench itself: its real duration here and now. */
    private double commandBaselineSeconds() throws Exception {
        int n = 10;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            new ProcessBuilder("/bin/sh", "-c", SLEEP_COMMAND).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        }
        return (System.nanoTime() - t0) / 1e9 / n;
    }

    private static Long await(java.util.function.Supplier<Long> what, long maxMillis) {
        long deadline = System.nanoTime() + maxMillis * 1_000_000L;
        Long v;
        while ((v = what.get()) == null && System.nanoTime() < deadline) {
            LockSupport.parkNanos(100_000);
        }
        return v;
    }

    private static Map<String, Object> histogramMap(Histogram h, String unit) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", h.getTotalCount());
        m.put("p50_" + unit, h.getValueAtPercentile(50) / 1000.0);
        m.put("p90_" + unit, h.getValueAtPercentile(90) / 1000.0);
        m.put("p99_" + unit, h.getValueAtPercentile(99) / 1000.0);
        m.put("max_" + unit, h.getMaxValue() / 1000.0);
        m.put("mean_" + unit, h.getMean() / 1000.0);
        return m;
    }

    private void profileStop(Svc s, Path jfrDir, String title) {
        Path f = jfrDir.resolve(s.name + ".jfr");
        if (s.jfrStop(f)) {
            profile(f, title);
        }
    }

    private void profile(Path jfr, String title) {
        String name = jfr.getFileName().toString().replace(".jfr", ".txt");
        Path txt = out.resolve("profiles").resolve(name);
        JfrSummary.write(jfr, title, txt);
        results.profiles.add("[" + name + "](profiles/" + name + "): " + title + " (recording: "
                + root.relativize(jfr) + ")");
    }

    private Path jarOf(String repo, String artifact) throws Exception {
        Path target = root.resolve(repo).resolve("target");
        List<Path> jars = new ArrayList<>();
        if (Files.isDirectory(target)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(target, artifact + "-*.jar")) {
                ds.forEach(jars::add);
            }
        }
        jars.removeIf(p -> p.getFileName().toString().startsWith("original-") || p.getFileName().toString().endsWith("-tests.jar"));
        if (jars.isEmpty()) {
            throw new IllegalStateException("No jar for " + artifact + " in " + target + ": ./meta.sh build " + repo);
        }
        return jars.get(0);
    }

    private static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+", 4)[0] + " "
                    + Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+", 4)[1];
        } catch (Exception e) {
            return "?";
        }
    }

    private void finish() {
        for (Svc s : running) {
            try {
                s.stop();
            } catch (Exception ignored) {
                // best effort on the way out
            }
        }
        try {
            results.machine.put("finished_at", Instant.now().toString());
            results.machine.put("loadavg_after", loadavg());
            results.machine.put("run_seconds", Duration.between(started, Instant.now()).toSeconds());
            results.write(out.resolve("results.md"), out.resolve("results.json"));
            System.out.println("wrote " + out.resolve("results.md") + " and " + out.resolve("results.json"));
        } catch (Exception e) {
            e.printStackTrace();
        }
    }
}
