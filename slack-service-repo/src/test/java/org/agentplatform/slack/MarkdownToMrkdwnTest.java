package org.agentplatform.slack;

import org.agentplatform.slack.slack.MarkdownToMrkdwn;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Markdown from the agent → Slack mrkdwn (https://docs.slack.dev/messaging/formatting-message-text). */
class MarkdownToMrkdwnTest {

    private final MarkdownToMrkdwn converter = new MarkdownToMrkdwn();

    @Test
    void boldItalicStrikeAndInlineCode() {
        assertThat(converter.convert("**bold**, *it*, _it2_, ~~gone~~ and `a < b`"))
                .isEqualTo("*bold*, _it_, _it2_, ~gone~ and `a &lt; b`");
    }

    @Test
    void linksBecomeAngleBracketLinks() {
        assertThat(converter.convert("See [the PR](https://github.com/o/r/pull/1?a=1&b=2) or <https://example.com>"))
                .isEqualTo("See <https://github.com/o/r/pull/1?a=1&amp;b=2|the PR> or <https://example.com>");
    }

    @Test
    void linkLabelsLoseTheirMarksAndUrlsTheirPipes() {
        assertThat(converter.convert("[**x** y](https://e.com/a|b)")).isEqualTo("<https://e.com/a%7Cb|x y>");
    }

    @Test
    void headingsBecomeBoldLines() {
        assertThat(converter.convert("# Summary\n\nAll good.\n\n## Next **steps**"))
                .isEqualTo("*Summary*\n\nAll good.\n\n*Next steps*");
    }

    @Test
    void listsAreKept() {
        String markdown = "Steps:\n\n- one\n- two **bold**\n  - nested\n\n3. three\n4. four\n";
        assertThat(converter.convert(markdown))
                .isEqualTo("Steps:\n\n• one\n• two *bold*\n    ◦ nested\n\n3. three\n4. four");
    }

    @Test
    void codeBlocksAreKeptAndEscaped() {
        String markdown = "Run:\n\n```java\nif (a < b && c) {}\n```\n";
        assertThat(converter.convert(markdown)).isEqualTo("Run:\n\n```\nif (a &lt; b &amp;&amp; c) {}\n```");
    }

    @Test
    void quotesAndRules() {
        assertThat(converter.convert("> quoted\n> more\n\n---\n\nafter"))
                .isEqualTo("> quoted\n> more\n\n──────────\n\nafter");
    }

    @Test
    void controlCharactersAreEscaped() {
        assertThat(converter.convert("a & b <c> d")).isEqualTo("a &amp; b &lt;c&gt; d");
    }

    @Test
    void userAndChannelReferencesSurviveButBroadcastsDoNot() {
        assertThat(converter.convert("Thanks <@U0123ABCD>, see <#C0123456789|general>. <!channel> <!here>"))
                .isEqualTo("Thanks <@U0123ABCD>, see <#C0123456789|general>. &lt;!channel&gt; &lt;!here&gt;");
    }

    @Test
    void lineBreaksAreKept() {
        assertThat(converter.convert("line one\nline two")).isEqualTo("line one\nline two");
    }

    @Test
    void plainTextIsUnchanged() {
        assertThat(converter.convert("On it :eyes:")).isEqualTo("On it :eyes:");
    }
}
