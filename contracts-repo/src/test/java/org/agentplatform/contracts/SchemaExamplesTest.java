package org.agentplatform.contracts;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * JSON Schema checks with networknt json-schema-validator: the message schemas are valid draft-07, every example
 * under {@code examples/} is accepted (valid/) or rejected (invalid/) by its schema, and the AsyncAPI file's $refs
 * resolve. OpenAPI component schemas are validated with networknt's OpenAPI 3.0 dialect (nullable, boolean
 * exclusiveMinimum...) directly inside the openapi.yaml, so $refs resolve exactly as in the contract.
 */
class SchemaExamplesTest {

    private static final String DRAFT_07 = "http://json-schema.org/draft-07/schema#";
    private static final SchemaValidatorsConfig CONFIG =
            SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    // ---------------------------------------------------------------- schemas/<Name>.schema.json

    @TestFactory
    Stream<DynamicNode> messageSchemas() {
        Path root = Contracts.root();
        JsonSchemaFactory factory = draft07Factory(root);
        Path examples = root.resolve("examples/schemas");
        List<DynamicNode> nodes = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (Path file : Contracts.schemaFiles(root)) {
            String name = Contracts.schemaName(file);
            names.add(name);
            List<DynamicNode> tests = new ArrayList<>();
            tests.add(dynamicTest("is a valid draft-07 schema", () -> assertDraft07(root, file, factory)));
            tests.addAll(exampleTests(root, examples.resolve(name),
                    () -> factory.getSchema(SchemaLocation.of(file.toUri().toString()), CONFIG)));
            nodes.add(dynamicContainer(Contracts.relative(root, file), tests));
        }
        for (Path dir : Contracts.dirs(examples)) {
            if (!names.contains(dir.getFileName().toString())) {
                nodes.add(dynamicTest(Contracts.relative(root, dir), () -> fail(Contracts.relative(root, dir)
                        + " has examples for schemas/" + dir.getFileName() + ".schema.json, which does not exist")));
            }
        }
        return nodes.stream();
    }

    private static void assertDraft07(Path root, Path file, JsonSchemaFactory factory) {
        String name = Contracts.relative(root, file);
        JsonNode node = Contracts.readTree(file);
        String declared = node.path("$schema").asText("");
        if (!declared.replaceFirst("#$", "").equals(DRAFT_07.replaceFirst("#$", ""))) {
            fail(name + ": \"$schema\" is '" + declared + "', expected '" + DRAFT_07 + "'");
        }
        JsonSchema meta = factory.getSchema(SchemaLocation.of(SchemaId.V7), CONFIG);
        Set<ValidationMessage> errors = meta.validate(node);
        if (!errors.isEmpty()) {
            fail(name + " is not a valid draft-07 schema:\n  - " + join(errors));
        }
        // load it with every $ref it makes, so a broken reference fails here even if no example reaches it
        try {
            factory.getSchema(SchemaLocation.of(file.toUri().toString()), CONFIG).initializeValidators();
        } catch (RuntimeException e) {
            fail(name + " cannot be loaded with its $refs: " + e.getMessage(), e);
        }
    }

    /** draft-07 factory; a schema that declares an "$id" is still read from its file here, never from the network. */
    private static JsonSchemaFactory draft07Factory(Path root) {
        Map<String, String> ids = new HashMap<>();
        for (Path file : Contracts.schemaFiles(root)) {
            String id = Contracts.readTree(file).path("$id").asText("");
            if (!id.isEmpty()) {
                ids.put(id.replaceFirst("#$", ""), file.toUri().toString());
            }
        }
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7,
                b -> b.schemaMappers(m -> m.mappings(ids)));
    }

    // ---------------------------------------------------------------- examples/openapi/<api>/<SchemaName>

    @TestFactory
    Stream<DynamicNode> openApiRequestBodies() {
        Path root = Contracts.root();
        JsonSchemaFactory factory = openApi30Factory();
        List<DynamicNode> nodes = new ArrayList<>();
        Set<Path> covered = new LinkedHashSet<>();
        for (Path file : Contracts.openApiFiles(root)) {
            String api = Contracts.apiName(root, file);
            String version = Contracts.apiVersion(root, file);
            JsonNode spec = Contracts.readTree(file);
            Path examples = root.resolve("examples/openapi").resolve(api);
            List<Path> bases = "v1".equals(version) ? List.of(examples, examples.resolve("v1")) : List.of(examples.resolve(version));
            List<DynamicNode> tests = new ArrayList<>();
            Set<String> withExamples = new LinkedHashSet<>();
            for (Path base : bases) {
                for (Path dir : Contracts.dirs(base)) {
                    String schema = dir.getFileName().toString();
                    if (schema.matches("v\\d+")) {
                        continue;
                    }
                    covered.add(dir);
                    withExamples.add(schema);
                    if (spec.path("components").path("schemas").path(schema).isMissingNode()) {
                        tests.add(dynamicTest(schema, () -> fail(Contracts.relative(root, dir) + ": "
                                + Contracts.relative(root, file) + " has no components.schemas." + schema)));
                        continue;
                    }
                    String location = file.toUri() + "#/components/schemas/" + schema;
                    tests.add(dynamicContainer(schema, exampleTests(root, dir,
                            () -> factory.getSchema(SchemaLocation.of(location), CONFIG))));
                }
            }
            tests.add(dynamicTest("every request-body schema has valid and invalid examples",
                    () -> assertRequestBodiesHaveExamples(root, file, spec, bases)));
            nodes.add(dynamicContainer(Contracts.relative(root, file), tests));
        }
        for (Path apiDir : Contracts.dirs(root.resolve("examples/openapi"))) {
            for (Path dir : Contracts.dirs(apiDir)) {
                if (!dir.getFileName().toString().matches("v\\d+") && !covered.contains(dir)) {
                    nodes.add(dynamicTest(Contracts.relative(root, dir), () -> fail(Contracts.relative(root, dir)
                            + ": there is no openapi/" + apiDir.getFileName() + "/v1/openapi.yaml for these examples")));
                }
            }
        }
        return nodes.stream();
    }

    /** OpenAPI 3.0 dialect; the document's top-level keys are not schema keywords. */
    private static JsonSchemaFactory openApi30Factory() {
        List<NonValidationKeyword> topLevel = Stream.of("openapi", "info", "servers", "security", "tags", "paths",
                "components", "externalDocs").map(NonValidationKeyword::new).toList();
        JsonMetaSchema dialect = JsonMetaSchema.builder(OpenApi30.getInstance()).keywords(topLevel).build();
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7,
                b -> b.metaSchema(dialect).defaultMetaSchemaIri(dialect.getIri()));
    }

    private static void assertRequestBodiesHaveExamples(Path root, Path file, JsonNode spec, List<Path> bases) {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> body : requestBodySchemas(spec).entrySet()) {
            String schema = body.getKey();
            if (schema.startsWith("(inline)")) {
                missing.add(body.getValue() + ": the request body schema is inline; name it in components.schemas"
                        + " and add examples/openapi/<api>/<Name>/{valid,invalid}/*.json");
                continue;
            }
            for (String kind : List.of("valid", "invalid")) {
                boolean found = bases.stream().anyMatch(b -> !jsonFiles(b.resolve(schema).resolve(kind)).isEmpty());
                if (!found) {
                    missing.add(schema + " (request body of " + body.getValue() + "): no "
                            + Contracts.relative(root, bases.get(0).resolve(schema).resolve(kind)) + "/*.json");
                }
            }
        }
        if (!missing.isEmpty()) {
            fail(Contracts.relative(root, file) + ": request bodies without examples:\n  - " + String.join("\n  - ", missing));
        }
    }

    /** component schema name (or "(inline) ..." ) -> the operations whose request body uses it. */
    private static Map<String, String> requestBodySchemas(JsonNode spec) {
        Map<String, String> out = new TreeMap<>();
        Set<String> methods = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
        for (Iterator<Map.Entry<String, JsonNode>> paths = spec.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!methods.contains(op.getKey())) {
                    continue;
                }
                JsonNode body = op.getValue().path("requestBody");
                if (body.has("$ref")) {
                    body = spec.at(body.get("$ref").asText().substring(1));
                }
                String where = op.getKey().toUpperCase() + " " + path.getKey();
                for (JsonNode media : body.path("content")) {
                    String ref = media.path("schema").path("$ref").asText("");
                    String name = ref.startsWith("#/components/schemas/")
                            ? ref.substring("#/components/schemas/".length()) : "(inline) " + where;
                    if (!media.path("schema").isMissingNode()) {
                        out.merge(name, where, (a, b) -> a.contains(b) ? a : a + ", " + b);
                    }
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- examples, shared

    interface SchemaLoader {
        JsonSchema load();
    }

    /** valid/*.json must pass, invalid/*.json must fail, and there must be at least one of each. */
    private static List<DynamicNode> exampleTests(Path root, Path dir, SchemaLoader loader) {
        List<DynamicNode> tests = new ArrayList<>();
        List<Path> valid = jsonFiles(dir.resolve("valid"));
        List<Path> invalid = jsonFiles(dir.resolve("invalid"));
        tests.add(dynamicTest("has valid and invalid examples", () -> {
            if (valid.isEmpty() || invalid.isEmpty()) {
                fail(Contracts.relative(root, dir) + ": needs at least one valid/*.json and one invalid/*.json example"
                        + " (found " + valid.size() + " valid, " + invalid.size() + " invalid)");
            }
        }));
        for (Path example : valid) {
            tests.add(exampleTest(root, example, loader, true));
        }
        for (Path example : invalid) {
            tests.add(exampleTest(root, example, loader, false));
        }
        return tests;
    }

    private static DynamicTest exampleTest(Path root, Path example, SchemaLoader loader, boolean shouldPass) {
        String name = Contracts.relative(root, example);
        return dynamicTest(example.getParent().getFileName() + "/" + example.getFileName(), () -> {
            Set<ValidationMessage> errors = loader.load().validate(Contracts.readTree(example));
            if (shouldPass && !errors.isEmpty()) {
                fail(name + " should be valid but is rejected:\n  - " + join(errors));
            }
            if (!shouldPass && errors.isEmpty()) {
                fail(name + " should be invalid but is accepted");
            }
        });
    }

    private static List<Path> jsonFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String join(Set<ValidationMessage> errors) {
        return String.join("\n  - ", errors.stream().map(ValidationMessage::getMessage).toList());
    }

    // ---------------------------------------------------------------- asyncapi/platform.yaml

    @Test
    void asyncApiRefsResolve() {
        Path root = Contracts.root();
        Path file = root.resolve("asyncapi/platform.yaml");
        if (!Files.exists(file)) {
            fail("asyncapi/platform.yaml is missing");
        }
        JsonNode doc = Contracts.readTree(file);
        List<String> broken = new ArrayList<>();
        for (String ref : refs(doc, new ArrayList<>())) {
            int hash = ref.indexOf('#');
            String target = hash < 0 ? ref : ref.substring(0, hash);
            String pointer = hash < 0 ? "" : ref.substring(hash + 1);
            JsonNode targetDoc = doc;
            if (!target.isEmpty()) {
                Path targetFile = file.getParent().resolve(target).normalize();
                if (!targetFile.startsWith(root.resolve("schemas")) || !targetFile.getFileName().toString().endsWith(".schema.json")) {
                    broken.add(ref + ": does not point to a schemas/<Name>.schema.json file");
                    continue;
                }
                if (!Files.isRegularFile(targetFile)) {
                    broken.add(ref + ": " + Contracts.relative(root, targetFile) + " does not exist");
                    continue;
                }
                targetDoc = Contracts.readTree(targetFile);
            }
            if (!pointer.isEmpty() && targetDoc.at(pointer).isMissingNode()) {
                broken.add(ref + ": " + pointer + " not found");
            }
        }
        if (!broken.isEmpty()) {
            fail("asyncapi/platform.yaml has unresolvable $refs:\n  - " + String.join("\n  - ", broken));
        }
    }

    private static List<String> refs(JsonNode node, List<String> out) {
        if (node.isObject() && node.path("$ref").isTextual()) {
            out.add(node.get("$ref").asText());
        }
        node.forEach(child -> refs(child, out));
        return out;
    }
}
