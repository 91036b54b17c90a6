package org.agentplatform.jira.adf;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;
import org.commonmark.Extension;
import org.commonmark.ext.autolink.AutolinkExtension;
import org.commonmark.ext.gfm.strikethrough.Strikethrough;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.Document;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.Text;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.Parser;

/**
 * Converts the agent's Markdown (CommonMark + GFM tables, strikethrough, autolinks) into an
 * Atlassian Document Format document by walking commonmark-java's AST.
 *
 * <p>Mapping: paragraph, heading (level), bulletList / orderedList (order) / listItem,
 * codeBlock (language), blockquote, rule, table / tableRow / tableHeader / tableCell, hardBreak,
 * text with the marks strong, em, code, strike and link (href, title). Line breaks inside a
 * paragraph become {@code hardBreak} (as GitHub shows them in comments).
 *
 * <p>ADF rules honoured (Atlassian's node and mark reference): text nodes are never empty; a
 * {@code code} mark stands alone (only a link may survive next to it, in which case the link wins,
 * as Atlassian's own adf-utils transform does); a mark type appears once per text node; a
 * {@code listItem} holds only paragraph, lists and codeBlock and never starts with a list; a
 * {@code blockquote} holds no heading, rule, table or nested blockquote; codeBlock text has no marks.
 */
@Singleton
public class MarkdownToAdf {

    private static final Pattern BR_TAG = Pattern.compile("(?i)<br\\s*/?>");

    private static final Set<String> LIST_ITEM_CHILDREN = Set.of("paragraph", "bulletList", "orderedList", "codeBlock");
    private static final Set<String> BLOCKQUOTE_CHILDREN = Set.of("paragraph", "bulletList", "orderedList", "codeBlock");

    private final Parser parser;

    public MarkdownToAdf() {
        List<Extension> extensions = List.of(
                TablesExtension.create(),
                StrikethroughExtension.builder().requireTwoTildes(true).build(),
                AutolinkExtension.create());
        this.parser = Parser.builder().extensions(extensions).build();
    }

    /** The ADF document for the given Markdown; never null, possibly with empty content. */
    public Map<String, Object> convert(String markdown) {
        Document document = (Document) parser.parse(markdown == null ? "" : markdown);
        return Adf.doc(blocks(document));
    }

    // ---------------------------------------------------------------- blocks

    private List<Map<String, Object>> blocks(Node parent) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Node child = parent.getFirstChild(); child != null; child = child.getNext()) {
            Map<String, Object> block = block(child);
            if (block != null) {
                out.add(block);
            }
        }
        return out;
    }

    private Map<String, Object> block(Node node) {
        if (node instanceof Paragraph) {
            List<Map<String, Object>> inlines = inlines(node);
            return inlines.isEmpty() ? null : Adf.node("paragraph", null, inlines);
        }
        if (node instanceof Heading heading) {
            return Adf.node("heading", Adf.attrs("level", Math.max(1, Math.min(6, heading.getLevel()))), inlines(node));
        }
        if (node instanceof BulletList) {
            return Adf.node("bulletList", null, listItems(node));
        }
        if (node instanceof OrderedList ordered) {
            Integer start = ordered.getMarkerStartNumber();
            return Adf.node("orderedList", start != null && start != 1 ? Adf.attrs("order", start) : null, listItems(node));
        }
        if (node instanceof FencedCodeBlock fenced) {
            String info = fenced.getInfo() == null ? "" : fenced.getInfo().trim();
            String language = info.isEmpty() ? null : info.split("\\s+")[0];
            return codeBlock(language, fenced.getLiteral());
        }
        if (node instanceof IndentedCodeBlock indented) {
            return codeBlock(null, indented.getLiteral());
        }
        if (node instanceof BlockQuote) {
            return Adf.node("blockquote", null, sanitize(blocks(node), BLOCKQUOTE_CHILDREN));
        }
        if (node instanceof ThematicBreak) {
            return Adf.node("rule");
        }
        if (node instanceof HtmlBlock html) {
            List<Map<String, Object>> inlines = new ArrayList<>();
            appendPlain(inlines, html.getLiteral().strip());
            return inlines.isEmpty() ? null : Adf.node("paragraph", null, inlines);
        }
        if (node instanceof TableBlock) {
            return table(node);
        }
        // LinkReferenceDefinition and anything unknown: nothing to show
        return null;
    }

    private Map<String, Object> codeBlock(String language, String literal) {
        String code = literal == null ? "" : literal;
        if (code.endsWith("\n")) {
            code = code.substring(0, code.length() - 1);
        }
        List<Map<String, Object>> content = new ArrayList<>();
        if (!code.isEmpty()) {
            content.add(Adf.text(code, null));
        }
        return Adf.node("codeBlock", language == null ? null : Adf.attrs("language", language), content);
    }

    private List<Map<String, Object>> listItems(Node list) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (Node child = list.getFirstChild(); child != null; child = child.getNext()) {
            if (child instanceof ListItem) {
                List<Map<String, Object>> content = sanitize(blocks(child), LIST_ITEM_CHILDREN);
                if (content.isEmpty() || !"paragraph".equals(Adf.type(content.get(0)))
                        && !"codeBlock".equals(Adf.type(content.get(0)))) {
                    // a listItem may not start with a nested list (nor be empty): lead with an empty paragraph
                    content.add(0, Adf.node("paragraph", null, new ArrayList<>()));
                }
                items.add(Adf.node("listItem", null, content));
            }
        }
        return items;
    }

    private Map<String, Object> table(Node table) {
        List<Map<String, Object>> rows = new ArrayList<>();
        collectRows(table, rows);
        return rows.isEmpty() ? null : Adf.node("table", null, rows);
    }

    private void collectRows(Node parent, List<Map<String, Object>> rows) {
        for (Node child = parent.getFirstChild(); child != null; child = child.getNext()) {
            if (child instanceof TableRow) {
                List<Map<String, Object>> cells = new ArrayList<>();
                for (Node cell = child.getFirstChild(); cell != null; cell = cell.getNext()) {
                    if (cell instanceof TableCell tableCell) {
                        List<Map<String, Object>> paragraph = List.of(Adf.node("paragraph", null, inlines(cell)));
                        cells.add(Adf.node(tableCell.isHeader() ? "tableHeader" : "tableCell", null, new ArrayList<>(paragraph)));
                    }
                }
                rows.add(Adf.node("tableRow", null, cells));
            } else {
                collectRows(child, rows); // TableHead / TableBody
            }
        }
    }

    /** Rewrites blocks that ADF does not allow in a listItem or blockquote into allowed ones. */
    private List<Map<String, Object>> sanitize(List<Map<String, Object>> blocks, Set<String> allowed) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> block : blocks) {
            String type = Adf.type(block);
            if (allowed.contains(type)) {
                out.add(block);
            } else if ("heading".equals(type)) {
                out.add(Adf.node("paragraph", null, Adf.content(block)));
            } else if ("blockquote".equals(type)) {
                out.addAll(sanitize(Adf.content(block), allowed));
            } else if ("table".equals(type)) {
                for (Map<String, Object> row : Adf.content(block)) {
                    for (Map<String, Object> cell : Adf.content(row)) {
                        out.addAll(sanitize(Adf.content(cell), allowed));
                    }
                }
            }
            // "rule" has no place there: dropped
        }
        return out;
    }

    // ---------------------------------------------------------------- inlines

    private List<Map<String, Object>> inlines(Node parent) {
        InlineWriter writer = new InlineWriter();
        writer.children(parent);
        return writer.out;
    }

    private void appendPlain(List<Map<String, Object>> out, String text) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                out.add(Adf.node("hardBreak"));
            }
            if (!lines[i].isEmpty()) {
                out.add(Adf.text(lines[i], null));
            }
        }
    }

    private static final class InlineWriter {
        private final List<Map<String, Object>> out = new ArrayList<>();
        private final Deque<Map<String, Object>> marks = new ArrayDeque<>();

        void children(Node parent) {
            for (Node child = parent.getFirstChild(); child != null; child = child.getNext()) {
                inline(child);
            }
        }

        void inline(Node node) {
            if (node instanceof Text text) {
                text(text.getLiteral(), false);
            } else if (node instanceof Code code) {
                text(code.getLiteral(), true);
            } else if (node instanceof StrongEmphasis) {
                withMark(Adf.mark("strong"), node);
            } else if (node instanceof Emphasis) {
                withMark(Adf.mark("em"), node);
            } else if (node instanceof Strikethrough) {
                withMark(Adf.mark("strike"), node);
            } else if (node instanceof Link link) {
                Map<String, Object> mark = Adf.node("link", Adf.attrs("href", link.getDestination(),
                        "title", blankToNull(link.getTitle())), null);
                int before = out.size();
                withMark(mark, node);
                if (out.size() == before) {
                    marks.addLast(mark);
                    text(link.getDestination(), false);
                    marks.removeLast();
                }
            } else if (node instanceof Image image) {
                // images would need a Jira attachment: show the alt text linked to the image instead
                Map<String, Object> mark = Adf.node("link", Adf.attrs("href", image.getDestination(),
                        "title", blankToNull(image.getTitle())), null);
                int before = out.size();
                withMark(mark, node);
                if (out.size() == before) {
                    marks.addLast(mark);
                    text(image.getDestination(), false);
                    marks.removeLast();
                }
            } else if (node instanceof SoftLineBreak || node instanceof HardLineBreak) {
                out.add(Adf.node("hardBreak"));
            } else if (node instanceof HtmlInline html) {
                if (BR_TAG.matcher(html.getLiteral()).matches()) {
                    out.add(Adf.node("hardBreak"));
                } else {
                    text(html.getLiteral(), false);
                }
            } else {
                children(node);
            }
        }

        void withMark(Map<String, Object> mark, Node node) {
            marks.addLast(mark);
            children(node);
            marks.removeLast();
        }

        void text(String literal, boolean code) {
            if (literal == null || literal.isEmpty()) {
                return;
            }
            List<Map<String, Object>> effective = effectiveMarks(code);
            if (!out.isEmpty()) {
                Map<String, Object> last = out.get(out.size() - 1);
                if ("text".equals(Adf.type(last)) && Objects.equals(last.get("marks"), effective.isEmpty() ? null : effective)) {
                    last.put("text", last.get("text") + literal);
                    return;
                }
            }
            out.add(Adf.text(literal, effective));
        }

        private List<Map<String, Object>> effectiveMarks(boolean code) {
            List<Map<String, Object>> result = new ArrayList<>();
            Map<String, Object> link = null;
            for (Map<String, Object> mark : marks) {
                if ("link".equals(Adf.type(mark))) {
                    link = mark;
                }
            }
            if (code) {
                // code marks combine with nothing; a link keeps the text clickable and wins
                result.add(link != null ? link : Adf.mark("code"));
                return result;
            }
            for (Map<String, Object> mark : marks) {
                boolean seen = result.stream().anyMatch(m -> Adf.type(m).equals(Adf.type(mark)));
                if (!seen) {
                    result.add(mark);
                }
            }
            return result;
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s;
        }
    }
}
