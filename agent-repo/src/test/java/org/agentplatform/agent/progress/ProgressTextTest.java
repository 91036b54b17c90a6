package org.agentplatform.agent.progress;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressTextTest {

    @Test
    void theStartTextNamesTheShortTaskIdAndCarriesNoMarkerOfItsOwn() {
        String text = ProgressText.started("7d0c6e8e-5b0e-4f3b", 1);
        // the marker is added per vendor (GitHub only) where the message is sent
        assertThat(text).isEqualTo("⏳ Working on it… (task 7d0c6e8e)");
        assertThat(ProgressText.started("7d0c6e8e-5b0e-4f3b", 2)).startsWith("⏳ Working on it… (task 7d0c6e8e, attempt 2)");
    }

    @Test
    void durationsReadNaturally() {
        assertThat(ProgressText.duration(Duration.ofMillis(42_400))).isEqualTo("42 s");
        assertThat(ProgressText.duration(Duration.ofSeconds(185))).isEqualTo("3 min 5 s");
        assertThat(ProgressText.duration(Duration.ofSeconds(120))).isEqualTo("2 min");
        assertThat(ProgressText.duration(Duration.ofSeconds(7_620))).isEqualTo("2 h 7 min");
        assertThat(ProgressText.done("t-1", Duration.ofSeconds(42))).startsWith("✅ Done in 42 s — answer below");
    }

    @Test
    void runningTextShowsElapsedTimeAndLinesInACodeBlockThatCannotBeBrokenOut() {
        String text = ProgressText.working("t-1", 1, Duration.ofSeconds(12),
                List.of("step 1", "```rm -rf```", "x".repeat(500), "bell\u0007here"));
        assertThat(text).startsWith("⏳ Working on it… (task t-1) — 12 s\n\n```\nstep 1\n");
        assertThat(text.split("```", -1)).as("only the block's own two fences").hasSize(3);
        assertThat(text).contains("x".repeat(199) + "…").doesNotContain("x".repeat(200)).contains("bell here");
    }

    @Test
    void failureReasonsAreOneShortLine() {
        String text = ProgressText.failed("t-1", "exit code 3:\n" + "boom ".repeat(100));
        String firstLine = text.lines().findFirst().orElseThrow();
        assertThat(firstLine).startsWith("❌ Failed: exit code 3: boom boom").endsWith("…");
        assertThat(firstLine.length()).isLessThanOrEqualTo("❌ Failed: ".length() + ProgressText.MAX_REASON);
        assertThat(ProgressText.cancelled("t-1")).startsWith("⏹ Cancelled");
    }
}
