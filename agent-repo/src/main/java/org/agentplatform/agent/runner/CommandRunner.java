package org.agentplatform.agent.runner;

import jakarta.inject.Singleton;
import org.agentplatform.agent.config.AgentConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs {@code AGENT_COMMAND} with {@code /bin/sh -c} in a fresh temporary working directory. The
 * task's input goes to stdin and to {@code AGENT_INPUT} (with {@code AGENT_TASK_ID},
 * {@code AGENT_MODEL}, {@code AGENT_CORRELATION_ID}); stdout and stderr are streamed into the
 * run log line by line; the result is stdout. A non-zero exit fails the attempt (retryable). On
 * a stop the whole process tree gets SIGTERM, then SIGKILL after {@code AGENT_COMMAND_KILL_GRACE_MS}.
 */
@Singleton
public class CommandRunner implements AgentRunner {
    public static final String NAME = "command";
    private static final Logger LOG = LoggerFactory.getLogger(CommandRunner.class);
    private static final int MAX_RESULT_CHARS = 1_000_000;
    private static final int MAX_LINE_CHARS = 10_000;

    private final AgentConfig config;

    public CommandRunner(AgentConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RunnerResult run(RunRequest request, RunControl control, ProgressSink progress) throws RunnerException {
        String command = config.getCommand();
        if (command == null || command.isBlank()) {
            throw new RunnerException("AGENT_COMMAND is not set", false);
        }
        Path workDir;
        try {
            workDir = Files.createTempDirectory("agent-run-");
        } catch (IOException e) {
            throw new RunnerException("cannot create a working directory: " + e.getMessage(), true);
        }
        try {
            return runIn(workDir, command, request, control, progress);
        } finally {
            deleteTree(workDir);
        }
    }

    private RunnerResult runIn(Path workDir, String command, RunRequest request, RunControl control,
                               ProgressSink progress) throws RunnerException {
        ProcessBuilder pb = new ProcessBuilder(List.of("/bin/sh", "-c", command)).directory(workDir.toFile());
        Map<String, String> env = pb.environment();
        env.put("AGENT_INPUT", request.input());
        env.put("AGENT_TASK_ID", request.taskId());
        env.put("AGENT_MODEL", request.model());
        env.put("AGENT_WORKDIR", workDir.toString());
        if (request.correlationId() != null) {
            env.put("AGENT_CORRELATION_ID", request.correlationId());
        }
        progress.line(ProgressSink.SYSTEM, "command started in " + workDir);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new RunnerException("cannot start the command: " + e.getMessage(), false);
        }
        control.onStop(() -> killTree(process, config.getCommandKillGraceMs()));

        StringBuilder stdout = new StringBuilder();
        Deque<String> lastErr = new ArrayDeque<>();
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        Thread in = thread("stdin", mdc, () -> feed(process.getOutputStream(), request.input()));
        Thread out = thread("stdout", mdc, () -> pump(process.getInputStream(), line -> {
            // the result first: the run log may be slow (Redis down) and the reader is only waited for a while
            synchronized (stdout) {
                if (stdout.length() < MAX_RESULT_CHARS) {
                    stdout.append(line).append('\n');
                }
            }
            progress.line(ProgressSink.STDOUT, line);
        }));
        Thread err = thread("stderr", mdc, () -> pump(process.getErrorStream(), line -> {
            progress.line(ProgressSink.STDERR, line);
            synchronized (lastErr) {
                lastErr.addLast(line);
                if (lastErr.size() > 5) {
                    lastErr.removeFirst();
                }
            }
        }));
        int exit;
        try {
            exit = process.waitFor();
            // the readers end when the pipes close; a stray grandchild may keep them open
            out.join(5000);
            err.join(5000);
            in.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killTree(process, 0);
            throw new RunnerException("interrupted", true);
        }
        if (control.isStopped()) {
            throw new RunnerException("stopped: " + control.reason(), false);
        }
        if (exit != 0) {
            String tail;
            synchronized (lastErr) {
                tail = lastErr.isEmpty() ? "" : ": " + lastErr.peekLast();
            }
            throw new RunnerException("exit code " + exit + tail, true);
        }
        String result;
        synchronized (stdout) {
            result = stdout.toString().strip();
        }
        progress.line(ProgressSink.SYSTEM, "command exited with 0");
        return new RunnerResult(result.isEmpty() ? "(the command printed nothing)" : result, BigDecimal.ZERO);
    }

    private static Thread thread(String name, Map<String, String> mdc, Runnable body) {
        Thread t = new Thread(() -> {
            if (mdc != null) {
                MDC.setContextMap(mdc);
            }
            try {
                body.run();
            } finally {
                MDC.clear();
            }
        }, "agent-command-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void feed(OutputStream stdin, String input) {
        try (OutputStream os = stdin) {
            os.write(input.getBytes(StandardCharsets.UTF_8));
        } catch (IOException closed) {
            // the command does not read stdin, or has ended
        }
    }

    private static void pump(InputStream stream, Consumer<String> sink) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                sink.accept(line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) + "…" : line);
            }
        } catch (IOException closed) {
            // killed
        }
    }

    /** SIGTERM to the command and all its descendants now, SIGKILL to what is left after the grace period. */
    static void killTree(Process process, long graceMs) {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        tree.forEach(ProcessHandle::destroy);
        Runnable hard = () -> {
            List<ProcessHandle> late = process.descendants().toList();
            boolean any = process.isAlive() || tree.stream().anyMatch(ProcessHandle::isAlive) || !late.isEmpty();
            process.destroyForcibly();
            tree.forEach(ProcessHandle::destroyForcibly);
            late.forEach(ProcessHandle::destroyForcibly);
            if (any) {
                LOG.info("command process tree of pid {} killed", process.pid());
            }
        };
        if (graceMs <= 0) {
            hard.run();
        } else {
            CompletableFuture.runAsync(hard, CompletableFuture.delayedExecutor(graceMs, TimeUnit.MILLISECONDS));
        }
    }

    private static void deleteTree(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("could not delete the working directory {}: {}", dir, e.toString());
        }
    }
}
