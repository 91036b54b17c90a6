package org.agentplatform.agent.answer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The shape of every answer: the text, then (on GitHub) the hidden marker; and its idempotency key.
 * Only GitHub renders a Markdown HTML comment invisibly — Slack, Jira and Sentry would show
 * {@code <!-- … -->} as literal text — so answers and progress messages elsewhere carry no marker:
 * the idempotency keys already keep them single, and the gateway recognises the agent's own
 * messages there by their author (Slack bot_id, the Jira account), not by the marker.
 */
public final class Answers {
    /** The gateway ignores GitHub comments containing this, so the agent never triggers itself. */
    public static final String MARKER_PREFIX = "<!-- agent-platform";
    /** Vendor comment limit (GitHub: 65536 characters). */
    public static final int MAX_BODY_CHARS = 65_536;
    private static final Pattern HEADER_SAFE = Pattern.compile("^[A-Za-z0-9._:-]+$");

    private Answers() {
    }

    public static String marker(String taskId) {
        return "<!-- agent-platform:task=" + taskId.replace("--", "- -") + " -->";
    }

    /** {@code text} with the progress marker appended on GitHub; unchanged elsewhere. */
    public static String progressBody(String vendor, String taskId, String text) {
        return hidesMarkers(vendor) ? text + "\n\n" + progressMarker(taskId) : text;
    }

    /**
     * Marks a progress message: the gateway ignores it like an answer (same prefix), but it is not
     * the answer marker, so whoever counts answers by marker does not count progress messages.
     */
    public static String progressMarker(String taskId) {
        return "<!-- agent-platform:progress=" + taskId.replace("--", "- -") + " -->";
    }

    /** True for the one vendor whose Markdown hides HTML comments (GitHub). */
    public static boolean hidesMarkers(String vendor) {
        return "github".equals(vendor);
    }

    /** The result, cut to fit {@code maxChars} (the vendor's limit), followed by the marker on GitHub. */
    public static String body(String vendor, String taskId, String result, int maxChars) {
        String marker = hidesMarkers(vendor) ? "\n\n" + marker(taskId) : "";
        String text = result == null || result.isBlank() ? "(no answer)" : result.strip();
        int room = maxChars - marker.length();
        if (text.length() > room) {
            String cut = "\n\n… (cut: the full answer is in the agent API)";
            text = text.substring(0, room - cut.length()) + cut;
        }
        return text + marker;
    }

    /** {@code task-<task_id>-answer} (conventions.md); a task id unfit for a header is hashed. */
    public static String idempotencyKey(String taskId) {
        return "task-" + headerSafe(taskId) + "-answer";
    }

    /** {@code task-<task_id>-progress} (conventions.md): the one progress message of a task. */
    public static String progressKey(String taskId) {
        return "task-" + headerSafe(taskId) + "-progress";
    }

    /** A value fit for the vendor services' header patterns, or null. */
    public static String correlationHeader(String correlationId) {
        return correlationId != null && correlationId.length() <= 64 && HEADER_SAFE.matcher(correlationId).matches()
                ? correlationId : null;
    }

    private static String headerSafe(String id) {
        if (id.length() <= 180 && HEADER_SAFE.matcher(id).matches()) {
            return id;
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return "h" + HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
