package org.agentplatform.gateway.webhook;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class TriggerMatcherTest {

    private final TriggerMatcher agent = new TriggerMatcher("@agent");

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            @agent please review                      | true
            Hey @agent, look at this                  | true
            @Agent fix the test                        | true
            @AGENT                                     | true
            (@agent)                                   | true
            ping @agent.                               | true
            is this right @agent?                      | true
            first line\\n@agent second line            | true
            thanks @agentsmith                         | false
            ask @agent-x                               | false
            ask @agent_2                               | false
            mail me@agent.dev                          | false
            agent please review                        | false
            use `@agent` to ask                        | false
            ```\\n@agent inside code\\n```             | false
            > @agent quoted from an earlier comment    | false
            > quoted\\n@agent but asked here           | true
            <!-- @agent hidden -->                     | false
            @agen                                      | false
            """)
    void detectsMentions(String body, boolean expected) {
        assertThat(agent.mentions(body.replace("\\n", "\n"))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /ai fix this        | true
            hello /AI           | true
            /aide               | false
            @agent fix this     | false
            """)
    void triggerIsConfigurable(String body, boolean expected) {
        assertThat(new TriggerMatcher("/ai").mentions(body)).isEqualTo(expected);
    }
}
