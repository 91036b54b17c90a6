package org.agentplatform.gateway.webhook.jira;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

class JiraTextTest {

    static final JsonMapper JSON = JsonMapper.createDefault();

    static JsonNode json(String s) throws IOException {
        return JSON.readValue(s, JsonNode.class);
    }

    @Test
    void adfIsFlattenedToParagraphLinesWithMentionsAsTheirText() throws IOException {
        JsonNode adf = json("""
                {"type":"doc","version":1,"content":[
                  {"type":"paragraph","content":[{"type":"text","text":"Checkout "},{"type":"text","text":"fails","marks":[{"type":"strong"}]}]},
                  {"type":"paragraph","content":[{"type":"mention","attrs":{"id":"abc-123","text":"@Agent"}},{"type":"text","text":" look"},{"type":"hardBreak"},{"type":"text","text":"please"}]},
                  {"type":"codeBlock","content":[{"type":"text","text":"NPE at Cart.java:42"}]}]}""");

        assertThat(JiraText.text(adf)).isEqualTo("Checkout fails\n@Agent look\nplease\nNPE at Cart.java:42");
        assertThat(JiraText.mentionedAccounts(adf)).containsExactly("abc-123");
    }

    @Test
    void wikiMarkupStringsKeepTheirTextAndYieldTheirMentions() throws IOException {
        JsonNode wiki = json("\"[~accountid:abc-123] and [~accountid:def-456] please\"");

        assertThat(JiraText.text(wiki)).isEqualTo("[~accountid:abc-123] and [~accountid:def-456] please");
        assertThat(JiraText.mentionedAccounts(wiki)).containsExactly("abc-123", "def-456");
        assertThat(JiraText.text(null)).isEmpty();
    }
}
