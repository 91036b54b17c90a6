package org.agentplatform.platformtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The figures of the chaos suite, one tab-separated line a scenario, appended to
 * {@code target/chaos-results/figures.tsv}; {@code ./meta.sh chaos} turns them into {@code chaos/results.md}.
 * Recorded before the assertions run, so a failing scenario still shows its figures.
 */
public final class ChaosReport {
    static final Path FILE = Path.of("target", "chaos-results", "figures.tsv");

    private ChaosReport() {
    }

    /** A fault scenario: what the stream of webhooks became. Lost and duplicated must be 0. */
    public static void scenario(String name, Counts c, String checked) {
        append(String.join("\t", "scenario", name, Long.toString(c.accepted()), Long.toString(c.finished()),
                Long.toString(c.answered()), Long.toString(c.duplicated()), Long.toString(c.lost()), clean(checked)));
    }

    /** Contract fuzzing of one service: requests tried, 5xx seen, 4xx that were not valid problem+json, writes seen. */
    public static void fuzz(String service, long tried, long serverErrors, long badProblems, long writes, String checked) {
        append(String.join("\t", "fuzz", service, Long.toString(tried), Long.toString(serverErrors),
                Long.toString(badProblems), Long.toString(writes), clean(checked)));
    }

    /** Hostile input or access checks: requests tried and how many were answered wrongly. */
    public static void hostile(String name, long tried, long wrong, String checked) {
        append(String.join("\t", "hostile", name, Long.toString(tried), Long.toString(wrong), clean(checked)));
    }

    /** Per-scenario counts of tasks. */
    public record Counts(long accepted, long finished, long answered, long duplicated, long lost) {}

    private static String clean(String s) {
        return s.replace('\t', ' ').replace('\n', ' ');
    }

    private static synchronized void append(String line) {
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("[chaos] " + line.replace('\t', ' '));
    }
}
