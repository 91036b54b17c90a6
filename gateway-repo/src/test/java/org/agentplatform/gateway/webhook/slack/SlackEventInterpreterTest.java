package org.agentplatform.gateway.webhook.slack;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SlackEventInterpreterTest {

    @Test
    void theAppsMentionIsStrippedOthersStay() {
        assertThat(SlackEventInterpreter.stripMentions("<@U0LAN0Z89> is it everything a river should be?", Set.of()))
                .isEqualTo("is it everything a river should be?");
        assertThat(SlackEventInterpreter.stripMentions("<@UBOT> ask <@U111> about it", Set.of("UBOT")))
                .isEqualTo("ask <@U111> about it");
        assertThat(SlackEventInterpreter.stripMentions("hey <@UBOT|agent>, fix it", Set.of("UBOT")))
                .isEqualTo("hey , fix it");
        assertThat(SlackEventInterpreter.stripMentions("<@U0LAN0Z89>", Set.of())).isEmpty();
        assertThat(SlackEventInterpreter.stripMentions(null, Set.of())).isEmpty();
    }
}
