package org.agentplatform.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One JVM under test (a service jar or the baseline app), started as a child process. */
final class Svc {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    final String name;
    final Path jar;
    final int port;
    final Path log;
    final Map<String, String> env = new LinkedHashMap<>();
    /** JVM options of this start only, after the run's common ones (e.g. the AppCDS archive). */
    final List<String> extraJvmOpts = new ArrayList<>();
    private final List<String> jvmOpts;
    private Process process;
    private boolean jfrOn;

    Svc(String name, Path jar, int port, List<String> jvmOpts, Path logDir) {
        this.name = name;
        this.jar = jar;
        this.port = port;
        this.jvmOpts = jvmOpts;
        this.log = logDir.resolve(name + ".log");
        env.put("PORT", Integer.toString(port));
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    /** Starts the JVM and returns the milliseconds until GET /health answered 200. */
    double startAndAwaitHealthy(Duration timeout) throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOpts);
        cmd.addAll(extraJvmOpts);
        cmd.add("-jar");
        cmd.add(jar.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        // like `./meta.sh up` (env -i): only what the service is meant to see, plus PATH for the command runner
        pb.environment().clear();
        for (String k : List.of("PATH", "HOME", "LANG", "TZ", "TMPDIR")) {
            String v = System.getenv(k);
            if (v != null) {
                pb.environment().put(k, v);
            }
        }
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        long t0 = System.nanoTime();
        process = pb.start();
        long deadline = t0 + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/health"))
                        .timeout(Duration.ofSeconds(1)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return (System.nanoTime() - t0) / 1e6;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(name + " not healthy within " + timeout + "; see " + log);
    }

    /** Resident set size now, from /proc/<pid>/status (VmRSS), in MiB. */
    double rssMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IllegalStateException("no VmRSS for " + name);
    }

    /** Starts a JFR recording (profile settings) through jcmd, so start-up is not slowed by it. */
    void jfrStart() {
        jfrOn = jcmd("JFR.start", "name=bench", "settings=profile");
    }

    /** Stops the recording into the given file; true when the file was written. */
    boolean jfrStop(Path file) {
        if (!jfrOn) {
            return false;
        }
        jfrOn = false;
        return jcmd("JFR.stop", "name=bench", "filename=" + file.toAbsolutePath()) && Files.exists(file);
    }

    private boolean jcmd(String... args) {
        try {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
            cmd.add(Long.toString(process.pid()));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** SIGKILL, for the way out when the bench itself is stopped. */
    void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    /** SIGTERM, then SIGKILL after 20 s. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
