package org.agentplatform.agent.config;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * The worker settings ({@code agent.*} in application.yml, each bound to an {@code AGENT_*}
 * environment variable there). Durations are whole seconds or milliseconds as in their names.
 */
@ConfigurationProperties("agent")
public class AgentConfig {
    /** Start the queue consumer (workers, heartbeat, reaper, retry scheduler) in this process. */
    private boolean consumerEnabled = true;
    /** Worker threads in this process (AGENT_WORKERS). */
    private int workers = 2;
    /** The runner: dry-run, openai or command (AGENT_RUNNER). */
    private String runner = "dry-run";
    /** An entry held longer than this without a heartbeat is taken over (AGENT_VISIBILITY_TIMEOUT_SECONDS). */
    private int visibilityTimeoutSeconds = 30;
    /** Starts of a task before it is dead-lettered (AGENT_MAX_ATTEMPTS). */
    private int maxAttempts = 3;
    /** XREADGROUP BLOCK time when every stream is empty (AGENT_BLOCK_MS). */
    private long blockMs = 2000;
    /** Run time limit when the message has no timeout_seconds (AGENT_DEFAULT_TIMEOUT_SECONDS). */
    private int defaultTimeoutSeconds = 600;
    /** Cost cap when the message has no max_cost_usd (AGENT_DEFAULT_MAX_COST_USD). */
    private BigDecimal defaultMaxCostUsd = new BigDecimal("1.00");
    /** First delay before a failed attempt is queued again; doubles per attempt (AGENT_RETRY_BACKOFF_MS). */
    private long retryBackoffMs = 2000;
    /** Upper bound of that delay (AGENT_RETRY_BACKOFF_MAX_MS). */
    private long retryBackoffMaxMs = 60000;
    /** Tries to post one answer before the entry is left for redelivery (AGENT_ANSWER_POST_ATTEMPTS). */
    private int answerPostAttempts = 5;
    /** First delay between those tries; doubles per try (AGENT_ANSWER_POST_BACKOFF_MS). */
    private long answerPostBackoffMs = 500;
    /** How often a running task's cancel flag is read (AGENT_CANCEL_POLL_MS). */
    private long cancelPollMs = 500;
    /** On SIGTERM, how long running tasks may take to finish before they are handed back (AGENT_SHUTDOWN_GRACE_SECONDS). */
    private int shutdownGraceSeconds = 30;
    /** How often due retries are moved back onto the queue (AGENT_RETRY_POLL_MS). */
    private long retryPollMs = 500;
    /** dry-run: simulated work time (AGENT_DRY_RUN_DELAY_MS). */
    private long dryRunDelayMs = 0;
    /** command: the shell command line (AGENT_COMMAND). */
    private String command = "";
    /** command: time between SIGTERM and SIGKILL when a command is stopped (AGENT_COMMAND_KILL_GRACE_MS). */
    private long commandKillGraceMs = 2000;
    /** The progress message is edited at most this often, in seconds (AGENT_PROGRESS_INTERVAL_SECONDS; fractions allowed). */
    private double progressIntervalSeconds = 10;
    /** How many of the last progress lines the progress message shows (AGENT_PROGRESS_LINES). */
    private int progressLines = 5;

    public boolean isConsumerEnabled() { return consumerEnabled; }
    public void setConsumerEnabled(boolean v) { consumerEnabled = v; }
    public int getWorkers() { return workers; }
    public void setWorkers(int v) { workers = v; }
    public String getRunner() { return runner; }
    public void setRunner(String v) { runner = v; }
    public int getVisibilityTimeoutSeconds() { return visibilityTimeoutSeconds; }
    public void setVisibilityTimeoutSeconds(int v) { visibilityTimeoutSeconds = v; }
    public int getMaxAttempts() { return maxAttempts; }
    public void setMaxAttempts(int v) { maxAttempts = v; }
    public long getBlockMs() { return blockMs; }
    public void setBlockMs(long v) { blockMs = v; }
    public int getDefaultTimeoutSeconds() { return defaultTimeoutSeconds; }
    public void setDefaultTimeoutSeconds(int v) { defaultTimeoutSeconds = v; }
    public BigDecimal getDefaultMaxCostUsd() { return defaultMaxCostUsd; }
    public void setDefaultMaxCostUsd(BigDecimal v) { defaultMaxCostUsd = v; }
    public long getRetryBackoffMs() { return retryBackoffMs; }
    public void setRetryBackoffMs(long v) { retryBackoffMs = v; }
    public long getRetryBackoffMaxMs() { return retryBackoffMaxMs; }
    public void setRetryBackoffMaxMs(long v) { retryBackoffMaxMs = v; }
    public int getAnswerPostAttempts() { return answerPostAttempts; }
    public void setAnswerPostAttempts(int v) { answerPostAttempts = v; }
    public long getAnswerPostBackoffMs() { return answerPostBackoffMs; }
    public void setAnswerPostBackoffMs(long v) { answerPostBackoffMs = v; }
    public long getCancelPollMs() { return cancelPollMs; }
    public void setCancelPollMs(long v) { cancelPollMs = v; }
    public int getShutdownGraceSeconds() { return shutdownGraceSeconds; }
    public void setShutdownGraceSeconds(int v) { shutdownGraceSeconds = v; }
    public long getRetryPollMs() { return retryPollMs; }
    public void setRetryPollMs(long v) { retryPollMs = v; }
    public long getDryRunDelayMs() { return dryRunDelayMs; }
    public void setDryRunDelayMs(long v) { dryRunDelayMs = v; }
    public String getCommand() { return command; }
    public void setCommand(String v) { command = v; }
    public long getCommandKillGraceMs() { return commandKillGraceMs; }
    public void setCommandKillGraceMs(long v) { commandKillGraceMs = v; }
    public double getProgressIntervalSeconds() { return progressIntervalSeconds; }
    public void setProgressIntervalSeconds(double v) { progressIntervalSeconds = v; }
    public int getProgressLines() { return progressLines; }
    public void setProgressLines(int v) { progressLines = v; }

    /** The minimum time between two edits of a progress message (at least 100 ms). */
    public Duration progressInterval() {
        return Duration.ofMillis(Math.max(100, Math.round(progressIntervalSeconds * 1000)));
    }

    public Duration visibilityTimeout() {
        return Duration.ofSeconds(Math.max(1, visibilityTimeoutSeconds));
    }

    /** Heartbeats come three times per visibility timeout, so one late beat does not lose an entry. */
    public Duration heartbeatInterval() {
        return visibilityTimeout().dividedBy(3);
    }
}
