package org.agentplatform.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Where the contract files are, and small helpers to read them. All discovery is dynamic. */
final class Contracts {

    static final List<String> APIS =
            List.of("github-service", "jira-service", "slack-service", "sentry-service", "gateway", "agent", "dashboard");
    static final List<String> MESSAGES = List.of("TaskQueueMessage", "TaskEvent", "DashboardEvent");

    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** {@code openapi/<api>/<vN>/openapi.yaml} */
    private static final Pattern OPENAPI_FILE = Pattern.compile("openapi/([^/]+)/(v\\d+)/openapi\\.yaml");

    private Contracts() {}

    /** The folder holding openapi/, schemas/, asyncapi/, examples/ (system property contracts.dir). */
    static Path root() {
        return Path.of(System.getProperty("contracts.dir", "src/main/resources")).toAbsolutePath().normalize();
    }

    static List<Path> openApiFiles(Path root) {
        return files(root, "openapi").stream().filter(p -> OPENAPI_FILE.matcher(relative(root, p)).matches()).toList();
    }

    static List<Path> schemaFiles(Path root) {
        return files(root, "schemas").stream().filter(p -> p.getFileName().toString().endsWith(".schema.json")).toList();
    }

    /** Regular files under root/dir, sorted; empty if the folder does not exist yet. */
    static List<Path> files(Path root, String dir) {
        Path start = root.resolve(dir);
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(start)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sub-folders of dir, sorted; empty if dir does not exist. */
    static List<Path> dirs(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    /** "github-service" for openapi/github-service/v1/openapi.yaml */
    static String apiName(Path root, Path openApiFile) {
        return openApiMatcher(root, openApiFile).group(1);
    }

    /** "v1" for openapi/github-service/v1/openapi.yaml */
    static String apiVersion(Path root, Path openApiFile) {
        return openApiMatcher(root, openApiFile).group(2);
    }

    private static Matcher openApiMatcher(Path root, Path openApiFile) {
        Matcher m = OPENAPI_FILE.matcher(relative(root, openApiFile));
        if (!m.matches()) {
            throw new IllegalArgumentException("not an openapi/<api>/<vN>/openapi.yaml file: " + openApiFile);
        }
        return m;
    }

    /** "TaskEvent" for schemas/TaskEvent.schema.json */
    static String schemaName(Path schemaFile) {
        return schemaFile.getFileName().toString().replaceFirst("\\.schema\\.json$", "");
    }

    static JsonNode readTree(Path file) {
        try {
            String name = file.getFileName().toString();
            ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml") ? YAML : JSON;
            return mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
