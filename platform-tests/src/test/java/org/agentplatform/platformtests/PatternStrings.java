package org.agentplatform.platformtests;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Strings that match a contract's {@code pattern}, for the simple regular expressions the contracts use:
 * literals, escapes, character classes with ranges, non-capturing groups and the quantifiers
 * {@code ? * + {n} {m,n} {m,}}, anchored with {@code ^...$}. Alternation and look-arounds are not
 * supported (empty result). Every result is checked against the real {@link Pattern} and the length limits.
 */
final class PatternStrings {
    /** How quantifiers are chosen: the fewest repetitions, the most, or anything between. */
    enum Mode { SHORTEST, LONGEST, ANY }

    private sealed interface Node permits Chars, Group {}

    private record Chars(String set) implements Node {}

    private record Group(List<Item> items) implements Node {}

    private record Item(Node node, int min, int max) {}

    private static final int UNBOUNDED = -1;

    private PatternStrings() {
    }

    /** A string matching {@code regex} with a length in [minLength, maxLength], if one is found. */
    static Optional<String> generate(String regex, int minLength, int maxLength, Mode mode, Random random) {
        Group parsed;
        try {
            parsed = parse(regex);
        } catch (IllegalArgumentException unsupported) {
            return Optional.empty();
        }
        Pattern pattern = Pattern.compile(regex);
        for (int attempt = 0; attempt < 40; attempt++) {
            Mode m = attempt < 10 ? mode : Mode.ANY;
            StringBuilder sb = new StringBuilder();
            emit(parsed, m, maxLength, random, sb);
            String s = sb.toString();
            int length = s.codePointCount(0, s.length());
            if (length >= minLength && length <= maxLength && pattern.matcher(s).find()) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    private static void emit(Group group, Mode mode, int budget, Random random, StringBuilder out) {
        for (Item item : group.items()) {
            int max = item.max() == UNBOUNDED ? Math.max(item.min(), Math.min(budget, 64)) : item.max();
            int count = switch (mode) {
                case SHORTEST -> item.min();
                case LONGEST -> max;
                case ANY -> item.min() + random.nextInt(max - item.min() + 1);
            };
            for (int i = 0; i < count; i++) {
                if (item.node() instanceof Chars c) {
                    out.append(c.set().charAt(random.nextInt(c.set().length())));
                } else {
                    emit((Group) item.node(), mode, budget, random, out);
                }
            }
        }
    }

    private static Group parse(String regex) {
        String r = regex;
        if (r.startsWith("^")) {
            r = r.substring(1);
        }
        if (r.endsWith("$") && !r.endsWith("\\$")) {
            r = r.substring(0, r.length() - 1);
        }
        int[] pos = {0};
        Group g = parseSequence(r, pos);
        if (pos[0] != r.length()) {
            throw new IllegalArgumentException("unbalanced: " + regex);
        }
        return g;
    }

    private static Group parseSequence(String r, int[] pos) {
        List<Item> items = new ArrayList<>();
        while (pos[0] < r.length()) {
            char c = r.charAt(pos[0]);
            Node node;
            if (c == ')') {
                break;
            } else if (c == '|' || c == '^' || c == '$') {
                throw new IllegalArgumentException("unsupported " + c);
            } else if (c == '(') {
                if (!r.startsWith("(?:", pos[0])) {
                    throw new IllegalArgumentException("only (?:...) groups");
                }
                pos[0] += 3;
                node = parseSequence(r, pos);
                if (pos[0] >= r.length() || r.charAt(pos[0]) != ')') {
                    throw new IllegalArgumentException("unclosed group");
                }
                pos[0]++;
            } else if (c == '[') {
                node = new Chars(parseClass(r, pos));
            } else if (c == '\\') {
                node = new Chars(escape(r.charAt(pos[0] + 1)));
                pos[0] += 2;
            } else if (c == '.') {
                node = new Chars("abcXYZ019_-");
                pos[0]++;
            } else {
                node = new Chars(String.valueOf(c));
                pos[0]++;
            }
            int min = 1;
            int max = 1;
            if (pos[0] < r.length()) {
                char q = r.charAt(pos[0]);
                if (q == '?') {
                    min = 0;
                    pos[0]++;
                } else if (q == '*') {
                    min = 0;
                    max = UNBOUNDED;
                    pos[0]++;
                } else if (q == '+') {
                    max = UNBOUNDED;
                    pos[0]++;
                } else if (q == '{') {
                    int end = r.indexOf('}', pos[0]);
                    String[] parts = r.substring(pos[0] + 1, end).split(",", -1);
                    min = Integer.parseInt(parts[0].trim());
                    max = parts.length == 1 ? min : parts[1].isBlank() ? UNBOUNDED : Integer.parseInt(parts[1].trim());
                    pos[0] = end + 1;
                }
            }
            items.add(new Item(node, min, max));
        }
        return new Group(items);
    }

    private static String parseClass(String r, int[] pos) {
        pos[0]++; // [
        if (r.charAt(pos[0]) == '^') {
            throw new IllegalArgumentException("negated classes are not supported");
        }
        StringBuilder set = new StringBuilder();
        while (r.charAt(pos[0]) != ']') {
            char c = r.charAt(pos[0]);
            String chars;
            if (c == '\\') {
                chars = escape(r.charAt(pos[0] + 1));
                pos[0] += 2;
            } else {
                chars = String.valueOf(c);
                pos[0]++;
            }
            if (chars.length() == 1 && r.charAt(pos[0]) == '-' && r.charAt(pos[0] + 1) != ']') {
                char to = r.charAt(pos[0] + 1);
                pos[0] += 2;
                for (char x = chars.charAt(0); x <= to; x++) {
                    set.append(x);
                }
            } else {
                set.append(chars);
            }
        }
        pos[0]++; // ]
        return set.toString();
    }

    private static String escape(char c) {
        return switch (c) {
            case 'd' -> "0123456789";
            case 'w' -> "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
            case 's' -> " ";
            default -> String.valueOf(c);
        };
    }
}
