package org.agentplatform.agent.runner;

import org.agentplatform.agent.config.AgentConfig;
import org.agentplatform.agent.messages.TaskQueueMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandRunnerTest {

    private static CommandRunner runner(String command) {
        AgentConfig c = new AgentConfig();
        c.setCommand(command);
        c.setCommandKillGraceMs(300);
        return new CommandRunner(c);
    }

    private static RunRequest request(String input) {
        return new RunRequest("task-1", input, "gpt-x", "corr-1", Duration.ofSeconds(30), BigDecimal.ONE, 1, new TaskQueueMessage());
    }

    @Test
    void inputArrivesOnStdinAndInTheEnvironmentAndStdoutIsTheResult() throws Exception {
        RecordingSink sink = new RecordingSink();
        RunnerResult r = runner("read line; echo \"stdin=$line\"; echo \"env=$AGENT_INPUT|$AGENT_TASK_ID|$AGENT_MODEL|$AGENT_CORRELATION_ID\"; "
                + "echo oops >&2; echo \"files=$(ls -A | wc -l)\"")
                .run(request("fix the bug"), new RunControl(), sink);

        assertThat(r.text()).isEqualTo("stdin=fix the bug\nenv=fix the bug|task-1|gpt-x|corr-1\nfiles=0");
        assertThat(r.costUsd()).isEqualByComparingTo("0");
        assertThat(sink.texts("stdout")).containsExactly("stdin=fix the bug", "env=fix the bug|task-1|gpt-x|corr-1", "files=0");
        assertThat(sink.texts("stderr")).containsExactly("oops");
        assertThat(sink.texts("system").get(0)).startsWith("command started in ");
    }

    @Test
    void eachRunGetsAFreshWorkingDirectoryThatIsRemovedAfterwards() throws Exception {
        RunnerResult first = runner("touch left-over; pwd").run(request("x"), new RunControl(), new RecordingSink());
        RunnerResult second = runner("ls -A; pwd").run(request("x"), new RunControl(), new RecordingSink());
        assertThat(second.text()).doesNotContain("left-over");
        assertThat(first.text()).isNotEqualTo(second.text());
        assertThat(Path.of(first.text())).doesNotExist();
    }

    @Test
    void aNonZeroExitIsARetryableFailureNamingTheLastStderrLine() {
        assertThatThrownBy(() -> runner("echo partial; echo 'first' >&2; echo 'last words' >&2; exit 7")
                .run(request("x"), new RunControl(), new RecordingSink()))
                .isInstanceOfSatisfying(RunnerException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("exit code 7: last words");
                    assertThat(e.retryable()).isTrue();
                });
    }

    @Test
    void aStopKillsTheWholeProcessTreePromptly(@TempDir Path dir) throws Exception {
        RunControl control = new RunControl();
        String cmd = "sleep 60 & echo $! > '" + dir + "/child'; echo $$ > '" + dir + "/sh'; echo started; wait";
        CompletableFuture<Throwable> run = CompletableFuture.supplyAsync(() -> {
            try {
                runner(cmd).run(request("x"), control, new RecordingSink());
                return null;
            } catch (RunnerException e) {
                return e;
            }
        });
        long deadline = System.currentTimeMillis() + 10_000;
        while (!Files.exists(dir.resolve("child")) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        long child = Long.parseLong(Files.readString(dir.resolve("child")).strip());
        long sh = Long.parseLong(Files.readString(dir.resolve("sh")).strip());

        long t0 = System.nanoTime();
        control.stop(RunControl.StopReason.TIMEOUT);
        Throwable thrown = run.get(10, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(thrown).isInstanceOf(RunnerException.class).hasMessage("stopped: TIMEOUT");
        assertThat(((RunnerException) thrown).retryable()).isFalse();
        deadline = System.currentTimeMillis() + 5_000;
        while ((alive(sh) || alive(child)) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(alive(sh)).as("sh").isFalse();
        assertThat(alive(child)).as("its child").isFalse();
    }

    @Test
    void withoutACommandTheRunnerFailsWithoutRetry() {
        assertThatThrownBy(() -> runner(" ").run(request("x"), new RunControl(), new RecordingSink()))
                .isInstanceOfSatisfying(RunnerException.class, e -> assertThat(e.retryable()).isFalse());
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
