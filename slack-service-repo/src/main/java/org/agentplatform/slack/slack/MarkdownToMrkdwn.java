package org.agentplatform.slack.slack;

import jakarta.inject.Singleton;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.strikethrough.Strikethrough;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.Code;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.LinkReferenceDefinition;
import org.commonmark.node.ListBlock;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.Text;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.Parser;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the agent's Markdown (CommonMark + GFM strikethrough) into Slack's {@code mrkdwn}
 * (https://docs.slack.dev/messaging/formatting-message-text): {@code **bold**} → {@code *bold*},
 * {@code _it_}/{@code *it*} → {@code _it_}, {@code ~~s~~} → {@code ~s~}, {@code [t](u)} →
 * {@code <u|t>}, headings → bold lines, lists kept (• and 1.), quotes kept ({@code > }), code
 * spans and blocks kept (```), and Slack's control characters {@code & < >} escaped as HTML
 * entities everywhere else, as Slack asks.
 *
 * <p>Slack user and channel references the agent writes on purpose ({@code <@U123>},
 * {@code <#C123>}, {@code <#C123|name>}) are kept; broadcast mentions ({@code <!channel>},
 * {@code <!here>}, {@code <!everyone>}) and any other angle-bracket text are escaped, so a
 * model's output cannot ping a whole channel.
 */
@Singleton
public class MarkdownToMrkdwn {

    private static final Pattern SLACK_REFERENCE =
            Pattern.compile("<([@#][UWCG][A-Z0-9]{1,31}(?:\\|[^<>|]{0,80})?)>");
    private static final String[] BULLETS = {"•", "◦", "▪"};
    private static final String RULE = "──────────";

    private final Parser parser;

    public MarkdownToMrkdwn() {
        List<Extension> extensions = List.of(StrikethroughExtension.create());
        this.parser = Parser.builder().extensions(extensions).build();
    }

    /** The mrkdwn form of a Markdown text; never null. */
    public String convert(String markdown) {
        if (markdown == null || markdown.isBlank()) {
            return markdown == null ? "" : markdown;
        }
        Node document = parser.parse(markdown);
        return blocks(document, 0).strip();
    }

    // ---- blocks ---------------------------------------------------------------------------

    private String blocks(Node parent, int depth) {
        List<String> out = new ArrayList<>();
        for (Node child = parent.getFirstChild(); child != null; child = child.getNext()) {
            String rendered = block(child, depth);
            if (!rendered.isEmpty()) {
                out.add(rendered);
            }
        }
        return String.join("\n\n", out);
    }

    private String block(Node node, int depth) {
        if (node instanceof Paragraph) {
            return inlines(node, new Style(false, false, false));
        }
        if (node instanceof Heading) {
            String text = inlines(node, new Style(true, false, false)).strip();
            return text.isEmpty() ? "" : "*" + text + "*";
        }
        if (node instanceof ListBlock list) {
            return list(list, depth);
        }
        if (node instanceof FencedCodeBlock fenced) {
            return codeBlock(fenced.getLiteral());
        }
        if (node instanceof IndentedCodeBlock indented) {
            return codeBlock(indented.getLiteral());
        }
        if (node instanceof BlockQuote) {
            String inner = blocks(node, depth);
            StringBuilder quoted = new StringBuilder();
            for (String line : inner.split("\n", -1)) {
                if (quoted.length() > 0) {
                    quoted.append('\n');
                }
                quoted.append(line.isEmpty() ? ">" : "> " + line);
            }
            return quoted.toString();
        }
        if (node instanceof ThematicBreak) {
            return RULE;
        }
        if (node instanceof HtmlBlock html) {
            return escape(html.getLiteral().strip());
        }
        if (node instanceof LinkReferenceDefinition) {
            return "";
        }
        return inlines(node, new Style(false, false, false));
    }

    private static String codeBlock(String literal) {
        String body = literal.endsWith("\n") ? literal.substring(0, literal.length() - 1) : literal;
        return "```\n" + escape(body) + "\n```";
    }

    private String list(ListBlock list, int depth) {
        List<String> lines = new ArrayList<>();
        int number = list instanceof OrderedList ordered ? ordered.getStartNumber() : 0;
        String indent = "    ".repeat(depth);
        for (Node item = list.getFirstChild(); item != null; item = item.getNext()) {
            if (!(item instanceof ListItem)) {
                continue;
            }
            String marker = list instanceof OrderedList ? (number++) + "." : BULLETS[Math.min(depth, BULLETS.length - 1)];
            String continuation = indent + " ".repeat(marker.length() + 1);
            boolean first = true;
            for (Node child = item.getFirstChild(); child != null; child = child.getNext()) {
                if (child instanceof ListBlock nested) {
                    if (first) {
                        lines.add(indent + marker);
                        first = false;
                    }
                    lines.add(list(nested, depth + 1));
                    continue;
                }
                String text = block(child, depth).replace("\n", "\n" + continuation);
                lines.add(first ? indent + marker + " " + text : continuation + text);
                first = false;
            }
            if (first) {
                lines.add(indent + marker);
            }
        }
        return String.join("\n", lines);
    }

    // ---- inlines --------------------------------------------------------------------------

    /** Which marks are already open around the current node (mrkdwn cannot nest the same one). */
    private record Style(boolean bold, boolean italic, boolean strike) {
    }

    private String inlines(Node parent, Style style) {
        StringBuilder out = new StringBuilder();
        for (Node child = parent.getFirstChild(); child != null; child = child.getNext()) {
            out.append(inline(child, style));
        }
        return out.toString();
    }

    private String inline(Node node, Style style) {
        if (node instanceof Text text) {
            return escapeKeepingReferences(text.getLiteral());
        }
        if (node instanceof Code code) {
            return "`" + escape(code.getLiteral()) + "`";
        }
        if (node instanceof StrongEmphasis) {
            String inner = inlines(node, new Style(true, style.italic(), style.strike()));
            return style.bold() || inner.isBlank() ? inner : "*" + inner + "*";
        }
        if (node instanceof Emphasis) {
            String inner = inlines(node, new Style(style.bold(), true, style.strike()));
            return style.italic() || inner.isBlank() ? inner : "_" + inner + "_";
        }
        if (node instanceof Strikethrough) {
            String inner = inlines(node, new Style(style.bold(), style.italic(), true));
            return style.strike() || inner.isBlank() ? inner : "~" + inner + "~";
        }
        if (node instanceof Link link) {
            return link(link.getDestination(), plainText(node));
        }
        if (node instanceof Image image) {
            String alt = plainText(node);
            return link(image.getDestination(), alt.isBlank() ? image.getDestination() : alt);
        }
        if (node instanceof SoftLineBreak || node instanceof HardLineBreak) {
            return "\n";
        }
        if (node instanceof HtmlInline html) {
            return escape(html.getLiteral());
        }
        return inlines(node, style);
    }

    private static String link(String destination, String label) {
        if (destination == null || destination.isBlank()) {
            return escape(label);
        }
        String url = destination.replace("|", "%7C").replace("<", "%3C").replace(">", "%3E").replace("&", "&amp;");
        String plainDestination = destination.startsWith("mailto:") ? destination.substring(7) : destination;
        if (label.isBlank() || label.equals(destination) || label.equals(plainDestination)) {
            return "<" + url + ">";
        }
        return "<" + url + "|" + escape(label).replace("\n", " ") + ">";
    }

    /** The text of a node and its descendants, without any marks (for link labels). */
    private static String plainText(Node node) {
        StringBuilder out = new StringBuilder();
        for (Node child = node.getFirstChild(); child != null; child = child.getNext()) {
            if (child instanceof Text text) {
                out.append(text.getLiteral());
            } else if (child instanceof Code code) {
                out.append(code.getLiteral());
            } else if (child instanceof SoftLineBreak || child instanceof HardLineBreak) {
                out.append(' ');
            } else {
                out.append(plainText(child));
            }
        }
        return out.toString();
    }

    private static String escapeKeepingReferences(String literal) {
        Matcher matcher = SLACK_REFERENCE.matcher(literal);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (matcher.find()) {
            out.append(escape(literal.substring(last, matcher.start())));
            out.append('<').append(matcher.group(1)).append('>');
            last = matcher.end();
        }
        out.append(escape(literal.substring(last)));
        return out.toString();
    }

    /** Slack's three control characters as HTML entities (and nothing else). */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
