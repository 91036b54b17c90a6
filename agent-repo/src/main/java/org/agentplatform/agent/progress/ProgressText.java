package org.agentplatform.agent.progress;

import org.agentplatform.agent.answer.Answers;

import java.time.Duration;
import java.util.List;

/**
 * The texts of a progress message, in Markdown (each vendor service converts it), without the
 * marker: {@link ProgressMessages} adds it for the vendors that hide it ({@link Answers#progressBody}).
 */
public final class ProgressText {
    /** Longest progress line shown; the full log is in the agent API. */
    static final int MAX_LINE = 200;
    static final int MAX_REASON = 200;

    private ProgressText() {
    }

    /** The first 8 characters: enough to find the task on the dashboard, short enough to read. */
    public static String shortId(String taskId) {
        return taskId.length() <= 8 ? taskId : taskId.substring(0, 8);
    }

    public static String started(String taskId, int attempt) {
        return header(taskId, attempt);
    }

    /** The running state: elapsed time and the last lines, in a code block. */
    public static String working(String taskId, int attempt, Duration elapsed, List<String> lines) {
        StringBuilder sb = new StringBuilder(header(taskId, attempt)).append(" — ").append(duration(elapsed));
        if (!lines.isEmpty()) {
            sb.append("\n\n```\n");
            for (String line : lines) {
                sb.append(line(line)).append('\n');
            }
            sb.append("```");
        }
        return sb.toString();
    }

    public static String done(String taskId, Duration took) {
        return "✅ Done in " + duration(took) + " — answer below";
    }

    public static String failed(String taskId, String reason) {
        return "❌ Failed: " + reason(reason);
    }

    public static String cancelled(String taskId) {
        return "⏹ Cancelled";
    }

    public static String retrying(String taskId, int attempt, String reason) {
        return "⏳ Attempt " + attempt + " failed (" + reason(reason) + "); trying again shortly… (task " + shortId(taskId) + ")";
    }

    /** "42 s", "3 min 5 s", "2 h 7 min". */
    public static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min" + (s % 60 == 0 ? "" : " " + (s % 60) + " s");
        }
        return (s / 3600) + " h" + ((s % 3600) / 60 == 0 ? "" : " " + ((s % 3600) / 60) + " min");
    }

    private static String header(String taskId, int attempt) {
        return "⏳ Working on it… (task " + shortId(taskId) + (attempt > 1 ? ", attempt " + attempt : "") + ")";
    }

    /** One log line fit for a code block: no fence inside, no control characters, bounded. */
    private static String line(String text) {
        String t = text.replace("```", "ʼʼʼ").replaceAll("[\\p{Cntrl}&&[^\\t]]", " ").stripTrailing();
        return t.length() > MAX_LINE ? t.substring(0, MAX_LINE - 1) + "…" : t;
    }

    /** A reason on one short line. */
    private static String reason(String reason) {
        String r = reason == null || reason.isBlank() ? "unknown error" : reason.strip().replaceAll("\\s+", " ");
        return r.length() > MAX_REASON ? r.substring(0, MAX_REASON - 1) + "…" : r;
    }
}
