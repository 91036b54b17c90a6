package org.agentplatform.contracts;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code openapi/<api>/<vN>/openapi.yaml}: parses and validates with swagger-parser, and follows the house
 * rules. One container per file, one test per rule; each failure lists every violation (file, operation, field).
 */
class OpenApiRulesTest {

    private static final String PROBLEM_JSON = "application/problem+json";

    @TestFactory
    Stream<DynamicNode> everyOpenApiFile() {
        Path root = Contracts.root();
        return Contracts.openApiFiles(root).stream().map(file -> {
            String name = Contracts.relative(root, file);
            Spec spec = new Spec(file, name, Contracts.apiName(root, file), Contracts.apiVersion(root, file));
            return dynamicContainer(name, Stream.of(
                    dynamicTest("parses and validates (swagger-parser, no messages)", spec::assertValid),
                    rule(name, spec, "is openapi 3.0.3", OpenApiRulesTest::version),
                    rule(name, spec, "operationId on every operation, unique", OpenApiRulesTest::operationIds),
                    rule(name, spec, "at least one tag on every operation", OpenApiRulesTest::tags),
                    rule(name, spec, "paths under /api/<vN>/ or /webhooks/", OpenApiRulesTest::pathPrefixes),
                    rule(name, spec, "4xx/5xx responses are application/problem+json", OpenApiRulesTest::problemJson),
                    rule(name, spec, "inputs constrained (string: maxLength|enum|pattern|format; integer: minimum+maximum)",
                            OpenApiRulesTest::constrainedInputs),
                    rule(name, spec, "every operation has an example", OpenApiRulesTest::examples),
                    rule(name, spec, "internal operations require a bearer token (dashboard: or cookie)",
                            OpenApiRulesTest::security)));
        });
    }

    private static DynamicNode rule(String file, Spec spec, String rule, Function<Spec, List<String>> check) {
        return dynamicTest(rule, () -> {
            List<String> violations = check.apply(spec);
            if (!violations.isEmpty()) {
                fail(file + " breaks the rule '" + rule + "' " + violations.size() + " time(s):\n  - "
                        + String.join("\n  - ", violations));
            }
        });
    }

    /** One OpenAPI file, parsed lazily: validation messages from a plain parse, rules on the fully resolved model. */
    static final class Spec {
        final Path file;
        final String name;
        final String api;
        final String version;
        private SwaggerParseResult plain;
        private OpenAPI resolved;

        Spec(Path file, String name, String api, String version) {
            this.file = file;
            this.name = name;
            this.api = api;
            this.version = version;
        }

        SwaggerParseResult plain() {
            if (plain == null) {
                ParseOptions options = new ParseOptions();
                options.setResolve(true);
                plain = new OpenAPIV3Parser().readLocation(file.toUri().toString(), null, options);
            }
            return plain;
        }

        void assertValid() {
            SwaggerParseResult result = plain();
            List<String> messages = result.getMessages() == null ? List.of() : result.getMessages();
            if (result.getOpenAPI() == null || !messages.isEmpty()) {
                fail(name + " does not validate (swagger-parser):\n  - " + String.join("\n  - ", messages));
            }
        }

        OpenAPI api() {
            if (resolved == null) {
                if (plain().getOpenAPI() == null) {
                    fail(name + " does not parse: " + plain().getMessages());
                }
                ParseOptions options = new ParseOptions();
                options.setResolve(true);
                options.setResolveFully(true);
                resolved = new OpenAPIV3Parser().readLocation(file.toUri().toString(), null, options).getOpenAPI();
            }
            return resolved;
        }

        List<Op> operations() {
            List<Op> ops = new ArrayList<>();
            Map<String, PathItem> paths = api().getPaths() == null ? Map.of() : api().getPaths();
            paths.forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> ops.add(new Op(path, method, item, op))));
            return ops;
        }
    }

    record Op(String path, PathItem.HttpMethod method, PathItem item, Operation op) {
        String label() {
            return method + " " + path + (op.getOperationId() == null ? "" : " (" + op.getOperationId() + ")");
        }

        List<Parameter> parameters() {
            List<Parameter> all = new ArrayList<>();
            if (item.getParameters() != null) {
                all.addAll(item.getParameters());
            }
            if (op.getParameters() != null) {
                all.addAll(op.getParameters());
            }
            return all;
        }

        Map<String, MediaType> requestContent() {
            return op.getRequestBody() == null ? Map.of() : nonNull(op.getRequestBody().getContent());
        }

        Map<String, ApiResponse> responses() {
            return op.getResponses() == null ? Map.of() : op.getResponses();
        }
    }

    static List<String> version(Spec spec) {
        String v = spec.api().getOpenapi();
        return "3.0.3".equals(v) ? List.of() : List.of("openapi: " + v + " (expected 3.0.3)");
    }

    static List<String> operationIds(Spec spec) {
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Op op : spec.operations()) {
            String id = op.op().getOperationId();
            if (id == null || id.isBlank()) {
                out.add(op.label() + ": no operationId");
            } else if (!seen.add(id)) {
                out.add(op.label() + ": operationId '" + id + "' is used twice");
            }
        }
        return out;
    }

    static List<String> tags(Spec spec) {
        return spec.operations().stream()
                .filter(op -> op.op().getTags() == null || op.op().getTags().isEmpty())
                .map(op -> op.label() + ": no tag")
                .toList();
    }

    static List<String> pathPrefixes(Spec spec) {
        Map<String, PathItem> paths = spec.api().getPaths() == null ? Map.of() : spec.api().getPaths();
        String api = "/api/" + spec.version + "/";
        return paths.keySet().stream()
                .filter(p -> !p.startsWith(api) && !p.startsWith("/webhooks/"))
                .map(p -> p + ": does not start with " + api + " or /webhooks/")
                .toList();
    }

    static List<String> problemJson(Spec spec) {
        List<String> out = new ArrayList<>();
        for (Op op : spec.operations()) {
            op.responses().forEach((code, response) -> {
                if (code.matches("[45](\\d\\d|XX)") && !nonNull(response.getContent()).containsKey(PROBLEM_JSON)) {
                    out.add(op.label() + ": response " + code + " has no " + PROBLEM_JSON + " content");
                }
            });
        }
        return out;
    }

    static List<String> constrainedInputs(Spec spec) {
        List<String> out = new ArrayList<>();
        for (Op op : spec.operations()) {
            for (Parameter p : op.parameters()) {
                String where = op.label() + " parameter " + p.getName() + " (in " + p.getIn() + ")";
                checkConstrained(where, "", p.getSchema(), out, newIdentitySet());
                nonNull(p.getContent()).forEach((type, media) ->
                        checkConstrained(where + " " + type, "", media.getSchema(), out, newIdentitySet()));
            }
            op.requestContent().forEach((type, media) ->
                    checkConstrained(op.label() + " request body " + type, "", media.getSchema(), out, newIdentitySet()));
        }
        return out;
    }

    /**
     * Strings need maxLength, enum, pattern or format; integers need minimum and maximum. Recurses into properties,
     * array items, additionalProperties and allOf/anyOf/oneOf. {@code field} is the dotted path inside the schema.
     */
    private static void checkConstrained(String where, String field, Schema<?> s, List<String> out, Set<Schema<?>> seen) {
        if (s == null || !seen.add(s) || Boolean.TRUE.equals(s.getReadOnly())) {
            return;
        }
        String type = typeOf(s);
        String name = field.isEmpty() ? where : where + " field " + field;
        if ("string".equals(type) && s.getMaxLength() == null && isEmpty(s.getEnum()) && s.getPattern() == null
                && s.getFormat() == null) {
            out.add(name + ": string without maxLength, enum, pattern or format");
        }
        if ("integer".equals(type) && isEmpty(s.getEnum()) && (s.getMinimum() == null || s.getMaximum() == null)) {
            List<String> missing = new ArrayList<>();
            if (s.getMinimum() == null) {
                missing.add("minimum");
            }
            if (s.getMaximum() == null) {
                missing.add("maximum");
            }
            out.add(name + ": integer without " + String.join(" and ", missing));
        }
        String prefix = field.isEmpty() ? "" : field + ".";
        nonNull(s.getProperties()).forEach((prop, ps) -> checkConstrained(where, prefix + prop, ps, out, seen));
        checkConstrained(where, field + "[]", s.getItems(), out, seen);
        if (s.getAdditionalProperties() instanceof Schema<?> ap) {
            checkConstrained(where, prefix + "*", ap, out, seen);
        }
        composedParts(s).forEach(part -> checkConstrained(where, field, part, out, seen));
    }

    static List<String> examples(Spec spec) {
        List<String> out = new ArrayList<>();
        for (Op op : spec.operations()) {
            boolean found = op.parameters().stream().anyMatch(p -> p.getExample() != null || !nonNull(p.getExamples()).isEmpty()
                            || hasSchemaExample(p.getSchema(), newIdentitySet()) || hasExample(p.getContent()))
                    || (op.op().getRequestBody() != null && hasExample(op.op().getRequestBody().getContent()))
                    || op.responses().values().stream().anyMatch(r -> hasExample(r.getContent()));
            if (!found) {
                out.add(op.label() + ": no example (parameter, request/response media type or schema)");
            }
        }
        return out;
    }

    private static boolean hasExample(Content content) {
        return nonNull(content).values().stream().anyMatch(m -> m.getExample() != null || !nonNull(m.getExamples()).isEmpty()
                || hasSchemaExample(m.getSchema(), newIdentitySet()));
    }

    private static boolean hasSchemaExample(Schema<?> s, Set<Schema<?>> seen) {
        if (s == null || !seen.add(s)) {
            return false;
        }
        if (s.getExample() != null) {
            return true;
        }
        List<Schema<?>> children = new ArrayList<>();
        nonNull(s.getProperties()).values().forEach(children::add);
        if (s.getItems() != null) {
            children.add(s.getItems());
        }
        children.addAll(composedParts(s));
        return children.stream().anyMatch(c -> hasSchemaExample(c, seen));
    }

    static List<String> security(Spec spec) {
        Map<String, SecurityScheme> schemes = spec.api().getComponents() == null
                ? Map.of() : nonNull(spec.api().getComponents().getSecuritySchemes());
        boolean dashboard = "dashboard".equals(spec.api);
        List<String> out = new ArrayList<>();
        for (Op op : spec.operations()) {
            if (op.path().startsWith("/webhooks/")) {
                continue; // vendors authenticate webhooks by signature, not by our token
            }
            List<SecurityRequirement> reqs = op.op().getSecurity() != null ? op.op().getSecurity() : spec.api().getSecurity();
            if (dashboard && op.op().getSecurity() != null && op.op().getSecurity().isEmpty()) {
                continue; // the browser-facing dashboard may open single operations (login) with an explicit `security: []`
            }
            if (reqs == null || reqs.isEmpty()) {
                out.add(op.label() + ": no security requirement (global or per operation)");
            } else if (reqs.stream().anyMatch(Map::isEmpty)) {
                out.add(op.label() + ": security allows anonymous access ({} requirement)");
            } else if (reqs.stream().flatMap(r -> r.keySet().stream()).map(schemes::get).filter(Objects::nonNull)
                    .noneMatch(s -> isBearer(s) || (dashboard && isCookie(s)))) {
                out.add(op.label() + ": security " + reqs + " names no http bearer scheme"
                        + (dashboard ? " nor cookie apiKey scheme" : "") + " of components.securitySchemes " + schemes.keySet());
            }
        }
        return out;
    }

    private static boolean isBearer(SecurityScheme s) {
        return s.getType() == SecurityScheme.Type.HTTP && "bearer".equalsIgnoreCase(s.getScheme());
    }

    private static boolean isCookie(SecurityScheme s) {
        return s.getType() == SecurityScheme.Type.APIKEY && s.getIn() == SecurityScheme.In.COOKIE;
    }

    static String typeOf(Schema<?> s) {
        if (s.getType() != null) {
            return s.getType();
        }
        return s.getTypes() != null && s.getTypes().size() == 1 ? s.getTypes().iterator().next() : null;
    }

    private static Set<Schema<?>> newIdentitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }

    private static <K, V> Map<K, V> nonNull(Map<K, V> m) {
        return m == null ? Map.of() : m;
    }

    private static boolean isEmpty(List<?> l) {
        return l == null || l.isEmpty();
    }

    /** The allOf, anyOf and oneOf parts of a schema. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static List<Schema<?>> composedParts(Schema<?> s) {
        List<Schema<?>> parts = new ArrayList<>();
        for (List<Schema> l : List.of(nonNull(s.getAllOf()), nonNull(s.getAnyOf()), nonNull(s.getOneOf()))) {
            l.forEach(parts::add);
        }
        return parts;
    }

    private static <T> List<T> nonNull(List<T> l) {
        return l == null ? List.of() : l;
    }
}
