package org.agentplatform.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Breaking changes between two versions of a draft-07 message schema. No maintained Java library does this with our
 * rules (see README), so this is a focused comparator. The rule: a change is breaking when data valid under the old
 * schema may be rejected by the new one, or when a property the old schema described disappears.
 *
 * <ul>
 *   <li>breaking: property removed, type changed (adding only "null" is fine), new required property, enum value
 *       removed or enum/const added, a bound tightened or added (minLength, maxLength, minimum, maximum,
 *       exclusiveMinimum/Maximum, minItems, maxItems, minProperties, maxProperties, multipleOf), pattern or format
 *       added/changed, additionalProperties true to false/schema, uniqueItems added, definition removed, allOf part
 *       added, anyOf/oneOf branch removed, any other assertion keyword added or changed;</li>
 *   <li>compatible: new optional property, enum value added, a bound loosened or removed, pattern/format removed,
 *       required removed, annotations (title, description, examples, default, $comment) changed.</li>
 * </ul>
 * Recurses into properties, items, additionalProperties, definitions/$defs, allOf/anyOf/oneOf (by position) and
 * follows $refs, local and to sibling files, on each side.
 */
final class JsonSchemaBreakingChanges {

    private static final Set<String> ANNOTATIONS = Set.of("title", "description", "$comment", "examples", "default",
            "readOnly", "writeOnly", "deprecated", "$id", "$schema", "contentMediaType", "contentEncoding");
    private static final List<String> LOWER_BOUNDS =
            List.of("minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties");
    private static final List<String> UPPER_BOUNDS =
            List.of("maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties");
    private static final Set<String> HANDLED = Set.of("$ref", "type", "enum", "const", "required", "properties",
            "additionalProperties", "items", "definitions", "$defs", "allOf", "anyOf", "oneOf", "pattern", "format",
            "uniqueItems", "multipleOf", "minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties",
            "maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties");

    /** One side (old or new): the folder its schema files are in, so "$ref": "Other.schema.json#/..." resolves. */
    record Side(Path dir, Map<String, JsonNode> cache) {
        Side(Path dir) {
            this(dir, new HashMap<>());
        }

        JsonNode file(String name) {
            return cache.computeIfAbsent(name, n -> {
                Path p = dir.resolve(n).normalize();
                return Files.isRegularFile(p) ? Contracts.readTree(p) : null;
            });
        }
    }

    /** A schema node plus the document it is in (for resolving "#/..." refs). */
    private record Node(JsonNode schema, JsonNode doc) {}

    private final Side oldSide;
    private final Side newSide;
    private final Set<String> changes = new LinkedHashSet<>();
    private final Set<List<Object>> visited = new HashSet<>();

    private JsonSchemaBreakingChanges(Side oldSide, Side newSide) {
        this.oldSide = oldSide;
        this.newSide = newSide;
    }

    /**
     * Breaking changes from {@code oldFile} to {@code newFile}, one line each ("path: what"). $refs to other files
     * resolve next to each file (old against old, new against new).
     */
    static List<String> compare(Path oldFile, Path newFile) {
        Side oldSide = new Side(oldFile.getParent());
        Side newSide = new Side(newFile.getParent());
        JsonSchemaBreakingChanges diff = new JsonSchemaBreakingChanges(oldSide, newSide);
        String oldName = oldFile.getFileName().toString();
        String newName = newFile.getFileName().toString();
        JsonNode oldDoc = oldSide.file(oldName);
        JsonNode newDoc = newSide.file(newName);
        diff.walk("", new Node(oldDoc, oldDoc), new Node(newDoc, newDoc));
        return List.copyOf(diff.changes);
    }

    private void walk(String path, Node o, Node n) {
        o = deref(o, oldSide);
        n = deref(n, newSide);
        if (o == null || n == null) {
            if (o != null) {
                report(path, "$ref no longer resolves in the new schema");
            }
            return;
        }
        // identity of the pair: stops cycles through recursive $refs
        if (!visited.add(List.of(new Identity(o.schema()), new Identity(n.schema())))) {
            return;
        }
        JsonNode os = o.schema();
        JsonNode ns = n.schema();
        if (os.isBoolean() || ns.isBoolean()) {
            if (!os.equals(ns) && !(ns.isBoolean() && ns.asBoolean())) {
                report(path, "schema changed from " + os + " to " + (ns.isBoolean() ? ns : "a constrained schema"));
            }
            return;
        }
        if (compareType(path, os, ns)) {
            return; // retyped: the old constraints no longer apply, one line is enough
        }
        compareEnum(path, os, ns);
        compareBounds(path, os, ns);
        compareRequired(path, os, ns);
        compareProperties(path, o, n);
        compareAdditionalProperties(path, o, n);
        compareItems(path, o, n);
        compareDefinitions(path, o, n);
        compareComposition(path, o, n);
        compareOtherKeywords(path, os, ns);
    }

    /** @return true when the type changed (reported) */
    private boolean compareType(String path, JsonNode os, JsonNode ns) {
        Set<String> oldTypes = types(os);
        Set<String> newTypes = types(ns);
        Set<String> oldPlusNull = new TreeSet<>(oldTypes);
        oldPlusNull.add("null");
        boolean onlyNullAdded = !oldTypes.isEmpty() && newTypes.equals(oldPlusNull);
        if (!oldTypes.equals(newTypes) && !onlyNullAdded) {
            report(path, "type changed from " + describe(oldTypes) + " to " + describe(newTypes));
            return true;
        }
        return false;
    }

    private void compareEnum(String path, JsonNode os, JsonNode ns) {
        if (ns.has("enum")) {
            if (!os.has("enum")) {
                report(path, "enum added: only " + ns.get("enum") + " allowed now");
            } else {
                List<String> removed = new ArrayList<>();
                os.get("enum").forEach(v -> {
                    if (!contains(ns.get("enum"), v)) {
                        removed.add(v.toString());
                    }
                });
                if (!removed.isEmpty()) {
                    report(path, "enum value(s) removed: " + String.join(", ", removed));
                }
            }
        }
        if (ns.has("const") && !ns.get("const").equals(os.get("const"))) {
            report(path, "const " + (os.has("const") ? "changed from " + os.get("const") + " to " : "added: ") + ns.get("const"));
        }
    }

    private void compareBounds(String path, JsonNode os, JsonNode ns) {
        for (String k : LOWER_BOUNDS) {
            if (ns.has(k) && (!os.has(k) || ns.get(k).decimalValue().compareTo(os.get(k).decimalValue()) > 0)) {
                report(path, k + (os.has(k) ? " raised from " + os.get(k) + " to " : " added: ") + ns.get(k));
            }
        }
        for (String k : UPPER_BOUNDS) {
            if (ns.has(k) && (!os.has(k) || ns.get(k).decimalValue().compareTo(os.get(k).decimalValue()) < 0)) {
                report(path, k + (os.has(k) ? " lowered from " + os.get(k) + " to " : " added: ") + ns.get(k));
            }
        }
        for (String k : List.of("multipleOf", "pattern", "format")) {
            if (ns.has(k) && !ns.get(k).equals(os.get(k))) {
                report(path, k + (os.has(k) ? " changed from " + os.get(k) + " to " : " added: ") + ns.get(k));
            }
        }
        if (ns.path("uniqueItems").asBoolean(false) && !os.path("uniqueItems").asBoolean(false)) {
            report(path, "uniqueItems added");
        }
    }

    private void compareRequired(String path, JsonNode os, JsonNode ns) {
        for (JsonNode r : ns.path("required")) {
            if (!contains(os.path("required"), r)) {
                report(path, "new required property '" + r.asText() + "'");
            }
        }
    }

    private void compareProperties(String path, Node o, Node n) {
        JsonNode newProps = n.schema().path("properties");
        for (Iterator<Map.Entry<String, JsonNode>> it = o.schema().path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            String child = join(path, p.getKey());
            if (!newProps.has(p.getKey())) {
                report(child, "property removed");
            } else {
                walk(child, new Node(p.getValue(), o.doc()), new Node(newProps.get(p.getKey()), n.doc()));
            }
        }
    }

    private void compareAdditionalProperties(String path, Node o, Node n) {
        JsonNode oa = o.schema().get("additionalProperties");
        JsonNode na = n.schema().get("additionalProperties");
        boolean oldOpen = oa == null || (oa.isBoolean() && oa.asBoolean());
        if (na == null || (na.isBoolean() && na.asBoolean())) {
            return; // open: nothing tightened
        }
        if (na.isBoolean()) {
            if (oldOpen) {
                report(path, "additionalProperties changed from true to false");
            }
        } else if (oldOpen) {
            report(path, "additionalProperties restricted to a schema (was open)");
        } else if (oa.isObject()) {
            walk(join(path, "*"), new Node(oa, o.doc()), new Node(na, n.doc()));
        }
    }

    private void compareItems(String path, Node o, Node n) {
        JsonNode oi = o.schema().get("items");
        JsonNode ni = n.schema().get("items");
        if (ni == null) {
            return;
        }
        if (oi == null) {
            report(path + "[]", "items schema added");
        } else if (oi.isArray() || ni.isArray()) {
            for (int i = 0; i < Math.min(oi.size(), ni.size()); i++) {
                walk(path + "[" + i + "]", new Node(oi.get(i), o.doc()), new Node(ni.get(i), n.doc()));
            }
            if (oi.isArray() != ni.isArray() || ni.size() > oi.size()) {
                report(path + "[]", "items changed from " + oi + " to " + ni);
            }
        } else {
            walk(path + "[]", new Node(oi, o.doc()), new Node(ni, n.doc()));
        }
    }

    private void compareDefinitions(String path, Node o, Node n) {
        for (String key : List.of("definitions", "$defs")) {
            JsonNode newDefs = n.schema().path(key);
            for (Iterator<Map.Entry<String, JsonNode>> it = o.schema().path(key).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> d = it.next();
                String where = (path.isEmpty() ? "" : path + " ") + "#/" + key + "/" + d.getKey();
                if (!newDefs.has(d.getKey())) {
                    report(where, "definition removed");
                } else {
                    walk(where, new Node(d.getValue(), o.doc()), new Node(newDefs.get(d.getKey()), n.doc()));
                }
            }
        }
    }

    private void compareComposition(String path, Node o, Node n) {
        for (String key : List.of("allOf", "anyOf", "oneOf")) {
            JsonNode op = o.schema().path(key);
            JsonNode np = n.schema().path(key);
            if (key.equals("allOf") && np.size() > op.size()) {
                report(path, "allOf gained " + (np.size() - op.size()) + " part(s)");
            } else if (!key.equals("allOf") && op.size() == 0 && np.size() > 0) {
                report(path, key + " added");
            } else if (!key.equals("allOf") && np.size() > 0 && np.size() < op.size()) {
                report(path, key + " lost " + (op.size() - np.size()) + " branch(es)");
            }
            for (int i = 0; i < Math.min(op.size(), np.size()); i++) {
                walk(path + " " + key + "[" + i + "]", new Node(op.get(i), o.doc()),
                        new Node(np.get(i), n.doc()));
            }
        }
    }

    /** Keywords this class does not analyse (not, if/then/else, patternProperties...): any addition or change is breaking. */
    private void compareOtherKeywords(String path, JsonNode os, JsonNode ns) {
        for (Iterator<String> it = ns.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!HANDLED.contains(k) && !ANNOTATIONS.contains(k) && !k.startsWith("x-") && !ns.get(k).equals(os.get(k))) {
                report(path, "'" + k + "' " + (os.has(k) ? "changed" : "added") + " (not analysed in detail: treated as breaking)");
            }
        }
    }

    /** Follows "$ref" (draft-07: a $ref replaces the whole schema) within the document or to a sibling file. */
    private static Node deref(Node node, Side side) {
        for (int hops = 0; node != null && node.schema().isObject() && node.schema().has("$ref"); hops++) {
            if (hops > 50) {
                throw new IllegalStateException("$ref loop at " + node.schema());
            }
            String ref = node.schema().get("$ref").asText();
            int hash = ref.indexOf('#');
            String file = hash < 0 ? ref : ref.substring(0, hash);
            String pointer = hash < 0 ? "" : ref.substring(hash + 1);
            JsonNode doc = file.isEmpty() ? node.doc() : side.file(file);
            if (doc == null) {
                return null;
            }
            JsonNode target = doc.at(pointer);
            node = target.isMissingNode() ? null : new Node(target, doc);
        }
        return node;
    }

    private void report(String path, String what) {
        changes.add((path.isEmpty() ? "(root)" : path) + ": " + what);
    }

    private static Set<String> types(JsonNode s) {
        Set<String> t = new TreeSet<>();
        JsonNode type = s.get("type");
        if (type != null && type.isArray()) {
            type.forEach(x -> t.add(x.asText()));
        } else if (type != null) {
            t.add(type.asText());
        }
        return t;
    }

    private static String describe(Set<String> types) {
        return types.isEmpty() ? "any" : types.size() == 1 ? types.iterator().next() : types.toString();
    }

    private static boolean contains(JsonNode array, JsonNode value) {
        for (JsonNode v : array) {
            if (v.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** Wraps an object so equality is identity (for the visited set). */
    private record Identity(Object o) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Identity i && i.o == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(o);
        }
    }
}
