package org.agentplatform.platformtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Requests generated from one service's OpenAPI contract (read from the contracts artifact): for every
 * operation, INVALID requests that break exactly one rule of the contract (a missing or wrong credential,
 * a path, query or header parameter of the wrong type, out of range, too long, off-pattern or off-enum,
 * a body missing a required property or with one property of the wrong type or out of bounds, malformed
 * JSON, a wrong content type, a method the path does not declare) and BOUNDARY-VALID ones (every value
 * the contract allows at its edges, tricky but legal strings, vendor payloads with shifted fields).
 *
 * <p>Values come from jqwik arbitraries drawn with one seeded {@link Random}: the same seed gives the same
 * requests. The caller runs inside a {@code JqwikSession}.
 */
final class ContractFuzzer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int GEN_SIZE = 1000;
    private static final Pattern UUID_LIKE = Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");
    /** Strings that try to break out of where they are put: paths, SQL, HTML, logs, encodings. */
    private static final List<String> HOSTILE = List.of("../../etc/passwd", "..", ".", "%00", "%2e%2e%2f", "a b",
            "' OR '1'='1", "\"; DROP TABLE task; --", "<script>alert(1)</script>", "${jndi:ldap://x/a}", "\\", "a/b",
            "ü", "日本語", "😀", "\u202Eevil", "\t", " ", "a\u0000b", "%", "?x=1", "#frag", "null", "undefined", "-1",
            "0", "1e309", "NaN", "Infinity", "[]", "{}");

    /** How the credential of a request is set. */
    enum Auth { VALID, NONE, WRONG }

    /** One parameter of an operation; {@code example} is the contract's example, as text. */
    record Param(String name, String in, Schema<?> schema, boolean required, String example) {}

    /** One operation: method, path template, parameters, request bodies per content type. */
    record Op(String service, String id, String method, String path, List<Param> params,
              Map<String, Schema<?>> bodies, Map<String, JsonNode> examples, boolean secured, Set<String> pathMethods) {
        boolean hasBody() {
            return !bodies.isEmpty();
        }
    }

    /**
     * A vendor payload for an operation whose body is free-form: a sender's real sample, with the headers
     * that go with it. The body supplier gives fresh ids each time.
     */
    record Seed(String contentType, Map<String, String> headers, Supplier<byte[]> body) {}

    /**
     * A request to send. {@code headers} holds explicit values; {@code omit} the headers that must be absent
     * (a computed header, such as a signature, is filled in by the sender unless present or omitted).
     */
    record Request(Op op, boolean invalid, boolean lenient, String what, String method, String path,
                   Map<String, String> headers, Set<String> omit, byte[] body, String contentType, Auth auth) {}

    /**
     * A value breaking a schema. {@code lenient}: a break the services' JSON binder (Micronaut Serialization)
     * forgives by coercing one JSON scalar into another (a number or boolean for a string, a boolean for a number,
     * a fraction for an integer, any scalar for a boolean), unwrapping a one-element array or reading non-ASCII
     * digits as a number; reported apart.
     */
    private record Bad(JsonNode value, String why, boolean lenient) {
        Bad(JsonNode value, String why) {
            this(value, why, false);
        }

        String text() {
            return value.isTextual() ? value.textValue() : value.toString();
        }
    }

    private record Slot(List<String> path, Schema<?> schema, boolean required) {
        String pointer() {
            return "/" + String.join("/", path);
        }
    }

    private final String service;
    private final List<Op> operations = new ArrayList<>();
    private final Random random;
    private final Set<String> computedHeaders;
    private final Map<String, List<Seed>> seeds;

    /**
     * @param computedHeaders header parameters whose valid value only the sender can compute (signatures,
     *                        the CSRF token): left out of valid requests for the sender to fill in
     * @param seeds           per operationId, vendor payloads to shift for the boundary-valid requests
     */
    ContractFuzzer(String service, long seed, Set<String> computedHeaders, Map<String, List<Seed>> seeds) {
        this.service = service;
        this.random = new Random(seed);
        this.computedHeaders = computedHeaders;
        this.seeds = seeds;
        OpenAPI api = parse(service);
        List<SecurityRequirement> global = api.getSecurity() == null ? List.of() : api.getSecurity();
        for (Map.Entry<String, PathItem> p : api.getPaths().entrySet()) {
            Set<String> declared = new LinkedHashSet<>();
            p.getValue().readOperationsMap().keySet().forEach(m -> declared.add(m.name()));
            for (var e : p.getValue().readOperationsMap().entrySet()) {
                io.swagger.v3.oas.models.Operation o = e.getValue();
                List<Param> params = new ArrayList<>();
                List<Parameter> all = new ArrayList<>();
                if (p.getValue().getParameters() != null) {
                    all.addAll(p.getValue().getParameters());
                }
                if (o.getParameters() != null) {
                    all.addAll(o.getParameters());
                }
                for (Parameter param : all) {
                    params.add(new Param(param.getName(), param.getIn(), param.getSchema(), Boolean.TRUE.equals(param.getRequired()),
                            param.getExample() == null ? null : String.valueOf(param.getExample())));
                }
                Map<String, Schema<?>> bodies = new LinkedHashMap<>();
                Map<String, JsonNode> examples = new LinkedHashMap<>();
                if (o.getRequestBody() != null && o.getRequestBody().getContent() != null) {
                    for (Map.Entry<String, MediaType> c : o.getRequestBody().getContent().entrySet()) {
                        bodies.put(c.getKey(), c.getValue().getSchema());
                        if (c.getValue().getExample() != null) {
                            examples.put(c.getKey(), JSON.valueToTree(c.getValue().getExample()));
                        }
                    }
                }
                List<SecurityRequirement> security = o.getSecurity() != null ? o.getSecurity() : global;
                boolean secured = security.stream().anyMatch(r -> !r.isEmpty());
                operations.add(new Op(service, o.getOperationId(), e.getKey().name(), p.getKey(), params, bodies, examples,
                        secured, declared));
            }
        }
    }

    private static OpenAPI parse(String service) {
        String resource = "/openapi/" + service + "/v1/openapi.yaml";
        try (InputStream in = ContractFuzzer.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test classpath (the contracts artifact)");
            }
            ParseOptions options = new ParseOptions();
            options.setResolve(true);
            options.setResolveFully(true);
            SwaggerParseResult result = new OpenAPIV3Parser().readContents(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    null, options);
            if (result.getOpenAPI() == null) {
                throw new IllegalStateException(resource + ": " + result.getMessages());
            }
            return result.getOpenAPI();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    List<Op> operations() {
        return operations;
    }

    // =============================================================================== invalid requests

    /**
     * Requests each breaking one rule of {@code op}: every kind once when there are at most {@code cap} kinds,
     * otherwise every kind but the body-property ones and a seeded sample of those up to {@code cap}; then more
     * kinds at random up to {@code n}.
     */
    List<Request> invalid(Op op, int n, int cap) {
        List<Function<Draft, String>> properties = new ArrayList<>();
        List<Function<Draft, String>> kinds = invalidKinds(op, properties);
        List<Function<Draft, String>> always = new ArrayList<>(kinds);
        always.removeAll(properties);
        return requests(op, kinds, always, n, cap, true);
    }

    /**
     * Every kind once when there are at most {@code cap}, otherwise those in {@code always} and a seeded sample
     * of the others up to {@code cap}; then kinds at random up to {@code n} requests.
     */
    private List<Request> requests(Op op, List<Function<Draft, String>> kinds, List<Function<Draft, String>> always,
                                   int n, int cap, boolean invalid) {
        List<Function<Draft, String>> chosen = new ArrayList<>(kinds);
        if (kinds.size() > cap) {
            List<Function<Draft, String>> others = new ArrayList<>(kinds);
            others.removeAll(always);
            chosen = new ArrayList<>(always);
            List<Function<Draft, String>> sample = draw(Arbitraries.shuffle(others));
            chosen.addAll(sample.subList(0, Math.max(0, Math.min(sample.size(), cap - chosen.size()))));
        }
        List<Request> out = new ArrayList<>();
        for (int i = 0; i < Math.max(n, chosen.size()) && !kinds.isEmpty(); i++) {
            Function<Draft, String> kind = i < chosen.size() ? chosen.get(i) : draw(Arbitraries.of(kinds));
            Draft d = base(op);
            String what = kind.apply(d);
            out.add(d.build(invalid, what));
        }
        return out;
    }

    private List<Function<Draft, String>> invalidKinds(Op op, List<Function<Draft, String>> properties) {
        List<Function<Draft, String>> kinds = new ArrayList<>();
        if (op.secured()) {
            kinds.add(d -> {
                d.auth = Auth.NONE;
                return "no credential";
            });
            kinds.add(d -> {
                d.auth = Auth.WRONG;
                return "a wrong credential";
            });
        }
        for (Param p : op.params()) {
            if (breakable(p.schema())) {
                kinds.add(d -> {
                    boolean header = "header".equals(p.in());
                    Arbitrary<Bad> bads = invalidValue(p.schema(), header, false)
                            .filter(b -> !conforms(p.schema(), header ? printableAscii(b.text()) : b.text()));
                    Bad bad = draw(bads);
                    String text = header ? printableAscii(bad.text()) : bad.text();
                    d.set(p, text);
                    d.lenient = bad.lenient();
                    return p.in() + " " + p.name() + " = " + show(text) + " (" + bad.why() + ")";
                });
            }
            if (p.required() && !"path".equals(p.in())) {
                kinds.add(d -> {
                    d.remove(p);
                    return "required " + p.in() + " " + p.name() + " missing";
                });
            }
            if (computedHeaders.contains(p.name())) {
                kinds.add(d -> {
                    String wrong = validText(p.schema(), PatternStrings.Mode.ANY, p);
                    d.headers.put(p.name(), wrong);
                    return "header " + p.name() + " well-formed but wrong: " + show(wrong);
                });
            }
        }
        if (op.hasBody()) {
            String jsonType = op.bodies().keySet().stream().filter(t -> t.contains("json")).findFirst().orElse(null);
            if (jsonType != null) {
                Schema<?> schema = op.bodies().get(jsonType);
                int before = kinds.size();
                for (Slot slot : slots(schema)) {
                    if (slot.required()) {
                        kinds.add(d -> {
                            d.useJson(jsonType);
                            put(d.json, slot.path(), NullNode.instance, schema);
                            remove(d.json, slot.path());
                            return "body " + slot.pointer() + " (required) missing";
                        });
                    }
                    kinds.add(d -> {
                        d.useJson(jsonType);
                        Bad bad = draw(invalidValue(slot.schema(), false, slot.required())
                                .filter(b -> !b.value().isTextual() || !conforms(slot.schema(), b.text())));
                        put(d.json, slot.path(), bad.value(), schema);
                        d.lenient = bad.lenient();
                        return "body " + slot.pointer() + " = " + show(bad.value().toString()) + " (" + bad.why() + ")";
                    });
                }
                properties.addAll(kinds.subList(before, kinds.size()));
                if (schema != null && schema.getMinProperties() != null && schema.getMinProperties() > 0) {
                    kinds.add(d -> {
                        d.useJson(jsonType);
                        d.json = NODES.objectNode();
                        return "body {} (minProperties " + schema.getMinProperties() + ")";
                    });
                }
                Map<String, Function<String, List<String>>> malformed = new LinkedHashMap<>();
                malformed.put("cut short", t -> t.length() < 2 ? List.of("{") : List.of(
                        t.substring(0, draw(Arbitraries.integers().between(1, t.length() - 1)))));
                malformed.put("with trailing content", t -> List.of(t + " trailing", t + "}", t + t, t + " {}", t + ","));
                malformed.put("not JSON", t -> List.of("", "not json", "{'a': 1}", "{\"a\" 1}", "{\"a\":}", "{", "[", "}",
                        t.replace('"', '\''), t.replaceFirst("}$", ",}"), "<xml/>"));
                malformed.put("another JSON value than an object", t -> List.of("null", "[]", "\"text\"", "123", "true", "[" + t + "]"));
                malformed.put("nested 10000 deep", t -> List.of("[".repeat(10_000) + "]".repeat(10_000),
                        "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)));
                malformed.put("with a broken escape", t -> List.of(t.replaceFirst(":\\s*\"", ": \"\\\\x41"),
                        t.replaceFirst(":\\s*\"", ": \"\\\\u12")));
                for (Map.Entry<String, Function<String, List<String>>> m : malformed.entrySet()) {
                    kinds.add(d -> {
                        d.useJson(jsonType);
                        String text = new String(d.bodyBytes(), StandardCharsets.UTF_8);
                        String chosen = draw(Arbitraries.of(m.getValue().apply(text)));
                        d.raw = chosen.getBytes(StandardCharsets.UTF_8);
                        // Micronaut binds the first JSON value of a body and ignores what follows it
                        d.lenient = m.getKey().equals("with trailing content");
                        return "body " + m.getKey() + ": " + show(chosen);
                    });
                }
                kinds.add(d -> {
                    d.useJson(jsonType);
                    byte[] valid = d.bodyBytes();
                    int at = indexOfStringValue(valid);
                    byte[] broken = new byte[valid.length + 2];
                    System.arraycopy(valid, 0, broken, 0, at);
                    broken[at] = (byte) 0xC3;
                    broken[at + 1] = (byte) 0x28;
                    System.arraycopy(valid, at, broken, at + 2, valid.length - at);
                    d.raw = broken;
                    return "body that is not UTF-8 (bytes C3 28 in a string)";
                });
            }
            kinds.add(d -> {
                d.raw = new byte[0];
                return "empty body";
            });
            kinds.add(d -> {
                List<String> wrong = new ArrayList<>(List.of("text/plain", "application/xml", "multipart/form-data; boundary=x",
                        "application/octet-stream", "image/png", "application/x-www-form-urlencoded"));
                wrong.removeAll(op.bodies().keySet());
                String type = draw(Arbitraries.of(wrong));
                d.contentType = type;
                d.lenient = rawBytesBody(op);
                return "Content-Type " + type + " (declared: " + op.bodies().keySet() + ")";
            });
            kinds.add(d -> {
                d.contentType = null;
                d.lenient = true; // Micronaut reads a body without a Content-Type as JSON
                return "no Content-Type";
            });
        }
        List<String> undeclared = new ArrayList<>(METHODS);
        undeclared.removeAll(op.pathMethods());
        if (!undeclared.isEmpty()) {
            kinds.add(d -> {
                d.method = draw(Arbitraries.of(undeclared));
                return "method " + d.method + " (the path declares " + op.pathMethods() + ")";
            });
        }
        return kinds;
    }

    /** A value that breaks {@code schema}: wrong type, out of bounds, too long or short, off-pattern, off-enum. */
    private Arbitrary<Bad> invalidValue(Schema<?> schema, boolean header, boolean required) {
        List<Arbitrary<Bad>> bads = new ArrayList<>();
        String type = schema == null || schema.getType() == null ? "object" : schema.getType();
        boolean nullable = schema != null && Boolean.TRUE.equals(schema.getNullable());
        if (required && !nullable) {
            // null for an optional property is commonly read as "absent": only a required one must refuse it
            bads.add(Arbitraries.just(new Bad(NullNode.instance, "null for a required property")));
        }
        switch (type) {
            case "string" -> {
                if (!header) {
                    bads.add(Arbitraries.of(new Bad(NODES.objectNode().put("x", 1), "object for a string"),
                            new Bad(NODES.arrayNode().add("x").add("y"), "array for a string"),
                            new Bad(NODES.arrayNode().add("x"), "one-element array for a string", true),
                            new Bad(BooleanNode.TRUE, "boolean for a string", true),
                            new Bad(IntNode.valueOf(42), "number for a string", true)));
                }
                Integer max = schema.getMaxLength();
                Integer min = schema.getMinLength();
                if (max != null) {
                    bads.add(Arbitraries.strings().alpha().numeric().ofMinLength(max + 1).ofMaxLength(max + 16)
                            .map(s -> new Bad(TextNode.valueOf(s), "length " + s.length() + " > maxLength " + max)));
                }
                if (min != null && min > 0) {
                    bads.add(Arbitraries.strings().alpha().ofMaxLength(min - 1)
                            .map(s -> new Bad(TextNode.valueOf(s), "length " + s.length() + " < minLength " + min)));
                }
                if (schema.getPattern() != null) {
                    Pattern pattern = Pattern.compile(schema.getPattern());
                    int lo = min == null ? 1 : Math.max(1, min);
                    int hi = Math.max(lo, Math.min(max == null ? 30 : max, 30));
                    Arbitrary<String> chars = header
                            ? Arbitraries.strings().withCharRange(' ', '~').ofMinLength(lo).ofMaxLength(hi)
                            : Arbitraries.strings().withCharRange(' ', '\uD7FF').ofMinLength(lo).ofMaxLength(hi);
                    bads.add(Arbitraries.oneOf(chars, Arbitraries.of(HOSTILE))
                            .filter(s -> !pattern.matcher(s).find() && (max == null || s.length() <= max))
                            .map(s -> new Bad(TextNode.valueOf(s), "does not match " + schema.getPattern())));
                }
                if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
                    List<String> values = schema.getEnum().stream().map(String::valueOf).toList();
                    bads.add(Arbitraries.oneOf(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12),
                                    Arbitraries.of(values).map(v -> v.toUpperCase(Locale.ROOT) + "X"),
                                    Arbitraries.of(values).map(v -> v + " "), Arbitraries.of(HOSTILE))
                            .filter(s -> !values.contains(s))
                            .map(s -> new Bad(TextNode.valueOf(s), "not one of " + values)));
                }
                if ("date-time".equals(schema.getFormat())) {
                    bads.add(Arbitraries.of("2026-13-45T25:61:00Z", "yesterday", "1732615200", "2026-11-26T10:00:00",
                                    "2026-02-30T00:00:00Z", "+999999999-12-31T23:59:59Z", "0000-00-00T00:00:00Z")
                            .map(s -> new Bad(TextNode.valueOf(s), "not a date-time")));
                }
                if ("uri".equals(schema.getFormat())) {
                    bads.add(Arbitraries.of("not a uri", "http://exa mple.com/", "://x", "http://[::1", "%%%", "http://a b/c")
                            .map(s -> new Bad(TextNode.valueOf(s), "not a URI")));
                }
            }
            case "integer", "number" -> {
                boolean integer = "integer".equals(type);
                bads.add(Arbitraries.of(new Bad(TextNode.valueOf("abc"), "text for a number"),
                        new Bad(TextNode.valueOf(""), "empty text for a number"),
                        new Bad(TextNode.valueOf("0x1F"), "hex text for a number"),
                        new Bad(TextNode.valueOf("1e3x"), "text for a number"),
                        new Bad(TextNode.valueOf("NaN"), "NaN"),
                        new Bad(TextNode.valueOf("١٢"), "Arabic-Indic digits", true)));
                if (!header) {
                    bads.add(Arbitraries.of(new Bad(BooleanNode.TRUE, "boolean for a number", true),
                            new Bad(NODES.objectNode(), "object for a number"),
                            new Bad(NODES.arrayNode().add(1), "array for a number")));
                }
                if (integer) {
                    bads.add(Arbitraries.of(new Bad(DoubleNode.valueOf(1.5), "fraction for an integer", true),
                            new Bad(TextNode.valueOf("1.5"), "fraction for an integer")));
                }
                BigDecimal lo = schema.getMinimum();
                BigDecimal hi = schema.getMaximum();
                String format = schema.getFormat();
                if (lo != null) {
                    bads.add(Arbitraries.longs().between(1, 1_000_000_000L)
                            .map(k -> k % 3 == 0 ? 1 : k)
                            .map(k -> new Bad(number(lo.subtract(integer ? BigDecimal.valueOf(k) : new BigDecimal("0.001").multiply(BigDecimal.valueOf(k)))),
                                    "below minimum " + lo)));
                }
                if (hi != null) {
                    bads.add(Arbitraries.longs().between(1, 1_000_000_000L)
                            .map(k -> k % 3 == 0 ? 1 : k)
                            .map(k -> new Bad(number(hi.add(integer ? BigDecimal.valueOf(k) : new BigDecimal("0.001").multiply(BigDecimal.valueOf(k)))),
                                    "above maximum " + hi)));
                }
                BigDecimal floor = lo != null ? lo : "int32".equals(format) ? BigDecimal.valueOf(Integer.MIN_VALUE)
                        : integer ? BigDecimal.valueOf(Long.MIN_VALUE) : new BigDecimal("-1.7976931348623157e308");
                BigDecimal ceiling = hi != null ? hi : "int32".equals(format) ? BigDecimal.valueOf(Integer.MAX_VALUE)
                        : integer ? BigDecimal.valueOf(Long.MAX_VALUE) : new BigDecimal("1.7976931348623157e308");
                List<Bad> huge = new ArrayList<>();
                for (BigDecimal v : List.of(new BigDecimal(BigInteger.TWO.pow(64)), new BigDecimal(BigInteger.TWO.pow(64)).negate(),
                        new BigDecimal("1e400"), BigDecimal.valueOf(2147483648L), BigDecimal.valueOf(-2147483649L))) {
                    if (v.compareTo(ceiling) > 0 || v.compareTo(floor) < 0) {
                        huge.add(new Bad(number(v), v.toString() + " outside [" + floor + ", " + ceiling + "]"));
                    }
                }
                if (!huge.isEmpty()) {
                    bads.add(Arbitraries.of(huge));
                }
            }
            case "boolean" -> bads.add(Arbitraries.of(new Bad(TextNode.valueOf("yes"), "text for a boolean", !header),
                    new Bad(TextNode.valueOf("2"), "text for a boolean", !header),
                    new Bad(TextNode.valueOf(""), "empty text for a boolean", !header),
                    new Bad(IntNode.valueOf(2), "number for a boolean", true),
                    new Bad(NODES.objectNode(), "object for a boolean")));
            case "array" -> bads.add(Arbitraries.of(new Bad(TextNode.valueOf("x"), "text for an array"),
                    new Bad(NODES.objectNode(), "object for an array")));
            default -> bads.add(Arbitraries.of(new Bad(TextNode.valueOf("x"), "text for an object"),
                    new Bad(NODES.arrayNode().add(1), "array for an object"), new Bad(IntNode.valueOf(7), "number for an object")));
        }
        return Arbitraries.oneOf(bads);
    }

    // ======================================================================== boundary-valid requests

    /**
     * Requests the contract allows: examples, edges of every range, tricky legal strings. Every kind once when
     * there are at most {@code cap} kinds; otherwise the essential ones (examples, vendor samples, U+0000 in every
     * free text) and a seeded sample of the others up to {@code cap}; then more at random up to {@code n}.
     */
    List<Request> valid(Op op, int n, int cap) {
        List<Function<Draft, String>> essential = new ArrayList<>();
        List<Function<Draft, String>> kinds = validKinds(op, essential);
        return requests(op, kinds, essential, n, cap, false);
    }

    private List<Function<Draft, String>> validKinds(Op op, List<Function<Draft, String>> essential) {
        List<Function<Draft, String>> kinds = new ArrayList<>();
        kinds.add(d -> "the contract's examples");
        essential.add(kinds.get(0));
        List<Seed> opSeeds = seeds.getOrDefault(op.id(), List.of());
        for (Seed seed : opSeeds) {
            kinds.add(d -> {
                seed(d, seed);
                return "vendor sample as sent";
            });
            essential.add(kinds.get(kinds.size() - 1));
            for (int i = 0; i < 6; i++) { // each draws another field and another change
                kinds.add(d -> {
                    seed(d, seed);
                    return "vendor sample, " + shift(d);
                });
                essential.add(kinds.get(kinds.size() - 1));
            }
        }
        for (Param p : op.params()) {
            if (computedHeaders.contains(p.name())) {
                continue;
            }
            for (PatternStrings.Mode mode : List.of(PatternStrings.Mode.SHORTEST, PatternStrings.Mode.LONGEST)) {
                kinds.add(d -> {
                    String v = validText(p.schema(), mode, p);
                    d.set(p, v);
                    return p.in() + " " + p.name() + " = " + show(v) + " (" + mode.name().toLowerCase(Locale.ROOT) + " allowed)";
                });
            }
        }
        if (op.params().stream().anyMatch(p -> !p.required())) {
            kinds.add(d -> {
                List<String> set = new ArrayList<>();
                for (Param p : op.params()) {
                    if (!p.required() && !computedHeaders.contains(p.name())) {
                        String v = validText(p.schema(), PatternStrings.Mode.ANY, p);
                        d.set(p, v);
                        set.add(p.name() + "=" + show(v));
                    }
                }
                return "every optional parameter: " + set;
            });
        }
        String jsonType = op.bodies().keySet().stream().filter(t -> t.contains("json")).findFirst().orElse(null);
        if (jsonType != null && opSeeds.isEmpty()) {
            Schema<?> schema = op.bodies().get(jsonType);
            for (Slot slot : slots(schema)) {
                for (PatternStrings.Mode mode : List.of(PatternStrings.Mode.SHORTEST, PatternStrings.Mode.LONGEST)) {
                    kinds.add(d -> {
                        d.useJson(jsonType);
                        JsonNode v = validJson(slot.schema(), mode);
                        put(d.json, slot.path(), v, schema);
                        return "body " + slot.pointer() + " = " + show(v.toString()) + " (" + mode.name().toLowerCase(Locale.ROOT) + " allowed)";
                    });
                }
                if ("string".equals(slot.schema().getType()) && slot.schema().getPattern() == null
                        && slot.schema().getEnum() == null && slot.schema().getFormat() == null) {
                    kinds.add(d -> {
                        d.useJson(jsonType);
                        put(d.json, slot.path(), TextNode.valueOf("NUL \u0000 inside"), schema);
                        return "body " + slot.pointer() + " = \"NUL \\u0000 inside\" (legal JSON string with U+0000)";
                    });
                    essential.add(kinds.get(kinds.size() - 1));
                    kinds.add(d -> {
                        d.useJson(jsonType);
                        String v = draw(trickyString(slot.schema()));
                        put(d.json, slot.path(), TextNode.valueOf(v), schema);
                        return "body " + slot.pointer() + " = " + show(JSON.valueToTree(v).toString()) + " (legal but unusual)";
                    });
                }
                if (!slot.required() && slot.path().size() == 1) {
                    kinds.add(d -> {
                        d.useJson(jsonType);
                        remove(d.json, slot.path());
                        return "body without optional " + slot.pointer();
                    });
                }
            }
            kinds.add(d -> {
                d.useJson(jsonType);
                d.json = validJson(schema, PatternStrings.Mode.ANY);
                return "body generated from the schema";
            });
        }
        return kinds;
    }

    private Arbitrary<String> trickyString(Schema<?> schema) {
        int min = schema.getMinLength() == null ? 0 : schema.getMinLength();
        int max = schema.getMaxLength() == null ? 2000 : schema.getMaxLength();
        Arbitrary<String> fixed = Arbitraries.of("a\u0000b", "\u0000", " ", "\t\n", "😀🚀", "\u202Eevil", "日本語テキスト",
                        "<script>alert(1)</script>", "' OR '1'='1", "${jndi:ldap://x/a}", "%s%n%x", "\\u0000", "@agent", "\r\n\r\nX-Injected: 1",
                        "a".repeat(Math.max(min, 1)), "ü".repeat(Math.max(min, 1)))
                .filter(s -> s.codePointCount(0, s.length()) >= min && s.codePointCount(0, s.length()) <= max);
        Arbitrary<String> generated = Arbitraries.strings().withCharRange('\u0000', '\uD7FF')
                .ofMinLength(min).ofMaxLength(Math.min(max, 300));
        return Arbitraries.oneOf(fixed, generated);
    }

    private void seed(Draft d, Seed seed) {
        d.raw = seed.body().get();
        d.json = null;
        d.contentType = seed.contentType();
        d.headers.putAll(seed.headers());
    }

    /** Shifts one field of a vendor payload: removed, null, another type, very long, or odd text. */
    private String shift(Draft d) {
        String text = new String(d.raw, StandardCharsets.UTF_8);
        if (d.contentType.startsWith("application/x-www-form-urlencoded")) {
            List<String> pairs = new ArrayList<>(List.of(text.strip().split("&")));
            int i = draw(Arbitraries.integers().between(0, pairs.size() - 1));
            String key = pairs.get(i).split("=", 2)[0];
            String value = draw(Arbitraries.oneOf(Arbitraries.of("", "x".repeat(5000), "%00", "😀", "%ZZ"),
                    Arbitraries.strings().withCharRange(' ', '\uD7FF').ofMaxLength(50)
                            .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8))));
            if (value.isEmpty() && draw(Arbitraries.of(true, false))) {
                pairs.remove(i);
                d.raw = String.join("&", pairs).getBytes(StandardCharsets.UTF_8);
                return "form field " + key + " removed";
            }
            pairs.set(i, key + "=" + value);
            d.raw = String.join("&", pairs).getBytes(StandardCharsets.UTF_8);
            return "form field " + key + " = " + show(value);
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(d.raw);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<List<String>> paths = new ArrayList<>();
        collectPaths(tree, new ArrayList<>(), paths, 0);
        List<String> path = draw(Arbitraries.of(paths));
        Bad change = draw(Arbitraries.of(new Bad(null, "removed"), new Bad(NullNode.instance, "null"),
                new Bad(IntNode.valueOf(-1), "-1"), new Bad(BigIntegerNode.valueOf(BigInteger.TWO.pow(70)), "2^70"),
                new Bad(TextNode.valueOf("x"), "\"x\""), new Bad(TextNode.valueOf(""), "\"\""),
                new Bad(TextNode.valueOf("y".repeat(20_000)), "20000 characters"), new Bad(BooleanNode.TRUE, "true"),
                new Bad(NODES.objectNode(), "{}"), new Bad(NODES.arrayNode(), "[]"),
                new Bad(NODES.arrayNode().add("a").add(2), "[\"a\",2]"), new Bad(TextNode.valueOf("a\u0000b😀"), "text with NUL and emoji"),
                new Bad(TextNode.valueOf("@agent " + "z".repeat(300)), "a mention")));
        if (change.value() == null) {
            remove(tree, path);
        } else {
            put(tree, path, change.value(), null);
        }
        d.raw = tree.toString().getBytes(StandardCharsets.UTF_8);
        return "/" + String.join("/", path) + " " + change.why();
    }

    private static void collectPaths(JsonNode node, List<String> prefix, List<List<String>> out, int depth) {
        if (depth > 6) {
            return;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                List<String> p = new ArrayList<>(prefix);
                p.add(f.getKey());
                out.add(p);
                collectPaths(f.getValue(), p, out, depth + 1);
            }
        }
    }

    // ========================================================================================== values

    /** A value {@code schema} allows: its edges (SHORTEST/LONGEST) or anything between. */
    private JsonNode validJson(Schema<?> schema, PatternStrings.Mode mode) {
        String type = schema == null || schema.getType() == null ? "object" : schema.getType();
        if (schema != null && schema.getEnum() != null && !schema.getEnum().isEmpty()) {
            List<?> values = schema.getEnum();
            Object v = switch (mode) {
                case SHORTEST -> values.get(0);
                case LONGEST -> values.get(values.size() - 1);
                case ANY -> draw(Arbitraries.of(values));
            };
            return JSON.valueToTree(v);
        }
        switch (type) {
            case "string" -> {
                return TextNode.valueOf(validString(schema, mode, schema.getExample() == null ? null : String.valueOf(schema.getExample())));
            }
            case "integer" -> {
                long lo = schema.getMinimum() != null ? schema.getMinimum().longValueExact() : "int32".equals(schema.getFormat()) ? Integer.MIN_VALUE : -1_000_000L;
                long hi = schema.getMaximum() != null ? schema.getMaximum().longValueExact() : "int32".equals(schema.getFormat()) ? Integer.MAX_VALUE : 1_000_000L;
                return LongNode.valueOf(switch (mode) {
                    case SHORTEST -> lo;
                    case LONGEST -> hi;
                    case ANY -> draw(Arbitraries.longs().between(lo, hi));
                });
            }
            case "number" -> {
                BigDecimal lo = schema.getMinimum() != null ? schema.getMinimum() : BigDecimal.valueOf(-1000);
                BigDecimal hi = schema.getMaximum() != null ? schema.getMaximum() : BigDecimal.valueOf(1000);
                return DecimalNode.valueOf(switch (mode) {
                    case SHORTEST -> lo;
                    case LONGEST -> hi;
                    case ANY -> draw(Arbitraries.bigDecimals().between(lo, hi).ofScale(3));
                });
            }
            case "boolean" -> {
                return BooleanNode.valueOf(mode != PatternStrings.Mode.SHORTEST);
            }
            case "array" -> {
                ArrayNode a = NODES.arrayNode();
                if (mode != PatternStrings.Mode.SHORTEST && schema.getItems() != null) {
                    a.add(validJson(schema.getItems(), mode));
                }
                return a;
            }
            default -> {
                ObjectNode o = NODES.objectNode();
                if (schema != null && schema.getProperties() != null) {
                    List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
                    for (Map.Entry<String, Schema> p : schema.getProperties().entrySet()) {
                        boolean include = required.contains(p.getKey()) || mode == PatternStrings.Mode.LONGEST
                                || (mode == PatternStrings.Mode.ANY && draw(Arbitraries.of(true, false)));
                        if (include) {
                            o.set(p.getKey(), validJson(p.getValue(), mode));
                        }
                    }
                }
                return o;
            }
        }
    }

    private String validText(Schema<?> schema, PatternStrings.Mode mode, Param param) {
        if (schema != null && "string".equals(schema.getType()) && (schema.getEnum() == null || schema.getEnum().isEmpty())) {
            return validString(schema, mode, param.example());
        }
        JsonNode v = validJson(schema, mode);
        return v.isTextual() ? v.textValue() : v.toString();
    }

    private String validString(Schema<?> schema, PatternStrings.Mode mode, String example) {
        int min = schema.getMinLength() == null ? 0 : schema.getMinLength();
        int max = schema.getMaxLength() == null ? Integer.MAX_VALUE : schema.getMaxLength();
        if ("date-time".equals(schema.getFormat())) {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
            return switch (mode) {
                case SHORTEST -> "1970-01-01T00:00:00Z";
                case LONGEST -> now.withOffsetSameInstant(ZoneOffset.ofHours(14)).toString();
                case ANY -> now.toString();
            };
        }
        if (schema.getPattern() != null) {
            return PatternStrings.generate(schema.getPattern(), min, max, mode, random).orElse(example == null ? "x" : example);
        }
        if ("uri".equals(schema.getFormat())) {
            return example != null ? example : "https://example.com/x";
        }
        if (mode == PatternStrings.Mode.ANY && example != null && draw(Arbitraries.of(true, false))) {
            return example;
        }
        int length = switch (mode) {
            case SHORTEST -> min;
            case LONGEST -> Math.min(max, 200_000);
            case ANY -> draw(Arbitraries.integers().between(min, Math.max(min, Math.min(max, 60))));
        };
        return draw(Arbitraries.strings().withCharRange(' ', '~').withCharRange('\u00A0', '\u07FF').ofLength(length));
    }

    /** The valid value a request starts from: the contract's example, or one generated from the schema. */
    private String baseText(Param p) {
        if (p.example() != null && UUID_LIKE.matcher(p.example()).matches()) {
            return new UUID(random.nextLong(), random.nextLong()).toString();
        }
        if (p.name().toLowerCase(Locale.ROOT).contains("timestamp")) {
            return Long.toString(System.currentTimeMillis() / 1000);
        }
        return p.example() != null ? p.example() : validText(p.schema(), PatternStrings.Mode.ANY, p);
    }

    // ========================================================================================= drafts

    private Draft base(Op op) {
        Draft d = new Draft(op);
        for (Param p : op.params()) {
            if ("path".equals(p.in()) || (p.required() && !computedHeaders.contains(p.name()))) {
                d.set(p, baseText(p));
            }
        }
        if (op.hasBody()) {
            String type = op.bodies().keySet().iterator().next();
            d.contentType = type;
            JsonNode example = op.examples().get(type);
            d.json = example != null ? example.deepCopy() : validJson(op.bodies().get(type), PatternStrings.Mode.ANY);
        }
        return d;
    }

    /** A request being built: starts valid, then one thing is changed. */
    private final class Draft {
        final Op op;
        String method;
        final Map<String, String> pathValues = new LinkedHashMap<>();
        final Map<String, String> query = new LinkedHashMap<>();
        final Map<String, String> headers = new LinkedHashMap<>();
        final Set<String> omit = new LinkedHashSet<>();
        JsonNode json;
        byte[] raw;
        String contentType;
        Auth auth = Auth.VALID;
        boolean lenient;

        Draft(Op op) {
            this.op = op;
            this.method = op.method();
        }

        void set(Param p, String value) {
            switch (p.in()) {
                case "path" -> pathValues.put(p.name(), value);
                case "query" -> query.put(p.name(), value);
                case "header" -> {
                    headers.put(p.name(), value);
                    omit.remove(p.name());
                }
                default -> throw new IllegalStateException("parameter in " + p.in());
            }
        }

        void remove(Param p) {
            query.remove(p.name());
            headers.remove(p.name());
            if ("header".equals(p.in())) {
                omit.add(p.name());
            }
        }

        /** Makes the body the JSON of {@code type} (the example), for a change inside it. */
        void useJson(String type) {
            if (!type.equals(contentType) || json == null) {
                contentType = type;
                JsonNode example = op.examples().get(type);
                json = example != null ? example.deepCopy() : validJson(op.bodies().get(type), PatternStrings.Mode.ANY);
            }
        }

        byte[] bodyBytes() {
            if (raw != null) {
                return raw;
            }
            if (json == null) {
                return null;
            }
            if (contentType != null && contentType.startsWith("application/x-www-form-urlencoded") && json.isObject()) {
                List<String> pairs = new ArrayList<>();
                json.fields().forEachRemaining(f -> pairs.add(enc(f.getKey()) + "=" + enc(f.getValue().isTextual()
                        ? f.getValue().textValue() : f.getValue().toString())));
                return String.join("&", pairs).getBytes(StandardCharsets.UTF_8);
            }
            return json.toString().getBytes(StandardCharsets.UTF_8);
        }

        Request build(boolean invalid, String what) {
            String path = op.path();
            for (Map.Entry<String, String> v : pathValues.entrySet()) {
                path = path.replace("{" + v.getKey() + "}", enc(v.getValue()));
            }
            if (!query.isEmpty()) {
                List<String> q = new ArrayList<>();
                query.forEach((k, v) -> q.add(enc(k) + "=" + enc(v)));
                path += "?" + String.join("&", q);
            }
            return new Request(op, invalid, lenient, what, method, path, Map.copyOf(headers), Set.copyOf(omit), bodyBytes(),
                    contentType, auth);
        }
    }

    // =========================================================================================== JSON

    private static List<Slot> slots(Schema<?> schema) {
        List<Slot> out = new ArrayList<>();
        slots(schema, new ArrayList<>(), out, 0);
        return out;
    }

    private static void slots(Schema<?> schema, List<String> prefix, List<Slot> out, int depth) {
        if (schema == null || schema.getProperties() == null || depth > 2) {
            return;
        }
        List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
        for (Map.Entry<String, Schema> p : schema.getProperties().entrySet()) {
            List<String> path = new ArrayList<>(prefix);
            path.add(p.getKey());
            out.add(new Slot(path, p.getValue(), required.contains(p.getKey())));
            slots(p.getValue(), path, out, depth + 1);
        }
    }

    /** Sets the value at {@code path}, creating valid parents (from {@code root}'s schema) where missing. */
    private void put(JsonNode root, List<String> path, JsonNode value, Schema<?> rootSchema) {
        ObjectNode node = (ObjectNode) root;
        Schema<?> schema = rootSchema;
        for (int i = 0; i < path.size() - 1; i++) {
            Schema<?> child = schema == null || schema.getProperties() == null ? null : schema.getProperties().get(path.get(i));
            JsonNode next = node.get(path.get(i));
            if (next == null || !next.isObject()) {
                next = child == null ? NODES.objectNode() : validJson(child, PatternStrings.Mode.SHORTEST);
                node.set(path.get(i), next);
            }
            node = (ObjectNode) next;
            schema = child;
        }
        node.set(path.get(path.size() - 1), value);
    }

    private static void remove(JsonNode root, List<String> path) {
        JsonNode node = root;
        for (int i = 0; i < path.size() - 1; i++) {
            node = node.path(path.get(i));
        }
        if (node instanceof ObjectNode o) {
            o.remove(path.get(path.size() - 1));
        }
    }

    private static int indexOfStringValue(byte[] json) {
        String s = new String(json, StandardCharsets.ISO_8859_1);
        int colon = s.indexOf(":\"");
        if (colon < 0) {
            colon = s.indexOf(": \"");
            return colon < 0 ? Math.max(0, s.length() / 2) : colon + 3;
        }
        return colon + 2;
    }

    // ======================================================================================== helpers

    /**
     * True when the operation's JSON body is free-form (a vendor payload): such a receiver verifies a signature
     * over the raw bytes whatever their declared type, so the Content-Type is not a rule it enforces.
     */
    private static boolean rawBytesBody(Op op) {
        return op.bodies().values().stream().anyMatch(s -> s == null || s.getProperties() == null || s.getProperties().isEmpty());
    }

    /** Whether some text breaks {@code schema} (a plain string without limits takes any text). */
    private static boolean breakable(Schema<?> s) {
        if (s == null) {
            return false;
        }
        if (!"string".equals(s.getType())) {
            return true;
        }
        return (s.getMinLength() != null && s.getMinLength() > 0) || s.getMaxLength() != null || s.getPattern() != null
                || (s.getEnum() != null && !s.getEnum().isEmpty()) || "date-time".equals(s.getFormat()) || "uri".equals(s.getFormat());
    }

    /** Whether {@code text}, as a parameter value, satisfies {@code schema} (type, bounds, pattern, enum, format). */
    static boolean conforms(Schema<?> schema, String text) {
        if (schema == null) {
            return true;
        }
        String type = schema.getType() == null ? "string" : schema.getType();
        switch (type) {
            case "integer", "number" -> {
                if (!(type.equals("integer") ? text.matches("-?[0-9]{1,400}") : text.matches("-?[0-9]{1,400}(\\.[0-9]{1,400})?"))) {
                    return false;
                }
                BigDecimal v = new BigDecimal(text);
                if ((schema.getMinimum() != null && v.compareTo(schema.getMinimum()) < 0)
                        || (schema.getMaximum() != null && v.compareTo(schema.getMaximum()) > 0)) {
                    return false;
                }
                if ("int32".equals(schema.getFormat())) {
                    return v.compareTo(BigDecimal.valueOf(Integer.MIN_VALUE)) >= 0 && v.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0;
                }
                return !type.equals("integer") || (v.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) >= 0
                        && v.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0);
            }
            case "boolean" -> {
                return text.equals("true") || text.equals("false");
            }
            case "string" -> {
                int length = text.codePointCount(0, text.length());
                if ((schema.getMinLength() != null && length < schema.getMinLength())
                        || (schema.getMaxLength() != null && length > schema.getMaxLength())) {
                    return false;
                }
                if (schema.getPattern() != null && !Pattern.compile(schema.getPattern()).matcher(text).find()) {
                    return false;
                }
                if (schema.getEnum() != null && !schema.getEnum().isEmpty()
                        && schema.getEnum().stream().map(String::valueOf).noneMatch(text::equals)) {
                    return false;
                }
                if ("date-time".equals(schema.getFormat())) {
                    try {
                        OffsetDateTime.parse(text);
                    } catch (RuntimeException e) {
                        return false;
                    }
                }
                if ("uri".equals(schema.getFormat())) {
                    try {
                        return new java.net.URI(text).isAbsolute();
                    } catch (java.net.URISyntaxException e) {
                        return false;
                    }
                }
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private <T> T draw(Arbitrary<T> arbitrary) {
        return arbitrary.generator(GEN_SIZE, true).next(random).value();
    }

    private static JsonNode number(BigDecimal value) {
        BigDecimal v = value.stripTrailingZeros();
        if (v.scale() <= 0) {
            BigInteger i = v.toBigIntegerExact();
            return i.bitLength() < 63 ? LongNode.valueOf(i.longValue()) : BigIntegerNode.valueOf(i);
        }
        return DecimalNode.valueOf(v);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String printableAscii(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c >= ' ' && c <= '~' ? c : '?');
        }
        return sb.toString().strip().isEmpty() ? "?" : sb.toString();
    }

    static String show(String s) {
        if (s == null) {
            return "null";
        }
        String escaped = s.replace("\u0000", "\\u0000").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
        return escaped.length() > 80 ? escaped.substring(0, 60) + "…(" + s.length() + " chars)" : escaped;
    }

    @Override
    public String toString() {
        return service + ": " + operations.size() + " operations";
    }
}
