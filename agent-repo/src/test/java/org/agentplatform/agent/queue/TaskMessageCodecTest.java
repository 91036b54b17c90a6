package org.agentplatform.agent.queue;

import io.micronaut.context.ApplicationContext;
import org.agentplatform.agent.messages.TaskQueueMessage;
import org.agentplatform.agent.support.TestInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contracts' own examples (unpacked from the artifact) through the agent's message parser. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskMessageCodecTest {
    private static final Path EXAMPLES = Path.of("target/contracts/examples/schemas/TaskQueueMessage");
    private ApplicationContext ctx;
    private TaskMessageCodec codec;

    @BeforeAll
    void start() {
        Map<String, Object> p = new HashMap<>(TestInfra.properties());
        p.put("agent.consumer-enabled", "false");
        ctx = ApplicationContext.run(p);
        codec = ctx.getBean(TaskMessageCodec.class);
    }

    @AfterAll
    void stop() {
        ctx.close();
    }

    @Test
    void everyValidExampleParses() throws Exception {
        List<Path> valid = files("valid");
        assertThat(valid).isNotEmpty();
        for (Path f : valid) {
            TaskQueueMessage m = codec.parse(Files.readAllBytes(f));
            assertThat(m.getTaskId()).as(f.toString()).isNotBlank();
        }
    }

    @Test
    void everyInvalidExampleIsRejected() throws Exception {
        List<Path> invalid = files("invalid");
        assertThat(invalid).isNotEmpty();
        for (Path f : invalid) {
            byte[] bytes = Files.readAllBytes(f);
            assertThatThrownBy(() -> codec.parse(bytes)).as(f.toString()).isInstanceOf(InvalidMessageException.class);
        }
    }

    @Test
    void theGithubExampleKeepsItsFieldsIncludingLargeCommentIds() throws Exception {
        String json = Files.readString(EXAMPLES.resolve("valid/github-pr-comment.json"))
                .replace("1234567", "3000000001");
        TaskQueueMessage m = codec.parse(json);
        assertThat(m.getSource().getGithub().getCommentId()).isEqualTo(3_000_000_001L);
        assertThat(m.getSource().getGithub().getIsPullRequest()).isTrue();
        assertThat(m.getMaxCostUsd()).isEqualTo(2.5);
        assertThat(m.getTimeoutSeconds()).isEqualTo(600L);
        assertThat(m.getCreatedAt()).isNotNull();
    }

    @Test
    void brokenJsonNamesWhatIsWrong() {
        assertThatThrownBy(() -> codec.parse("{\"task_id\":\"t-9\",\"user_id\":\"u\"}"))
                .isInstanceOfSatisfying(InvalidMessageException.class, e -> {
                    assertThat(e.getMessage()).contains("input_message").contains("session_id");
                    assertThat(e.taskId()).isEqualTo("t-9");
                });
        assertThatThrownBy(() -> codec.parse("not json")).isInstanceOf(InvalidMessageException.class);
    }

    private static List<Path> files(String kind) throws IOException {
        try (Stream<Path> s = Files.list(EXAMPLES.resolve(kind))) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }
}
