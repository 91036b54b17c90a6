package org.agentplatform.contracts;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The breaking-change gate: fetch the released baseline jar from the release repository, compare every OpenAPI and
 * JSON Schema file in it with the working copy, and decide whether the project version may carry the changes.
 */
final class CompatibilityGate {

    static final String GROUP_PATH = "org/agentplatform/contracts";

    private CompatibilityGate() {}

    /** {@code <repo>/org/agentplatform/contracts/<v>/contracts-<v>.jar} (Maven repository layout). */
    static URI jarUri(String repo, String version) {
        String base = repo.endsWith("/") ? repo.substring(0, repo.length() - 1) : repo;
        if (!base.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            base = Path.of(base).toAbsolutePath().toUri().toString().replaceFirst("/$", ""); // a plain folder
        }
        return URI.create(base + "/" + GROUP_PATH + "/" + version + "/contracts-" + version + ".jar");
    }

    /**
     * Downloads (http/https) or copies (file) the released jar and unpacks it into {@code workDir/<version>}.
     * Empty when the repository has no such version; an unreachable repository is an error, not a skip.
     */
    static Optional<Path> fetchBaseline(String repo, String version, Path workDir) throws IOException, InterruptedException {
        URI uri = jarUri(repo, version);
        Files.createDirectories(workDir);
        Path jar = workDir.resolve("contracts-" + version + ".jar");
        if ("file".equals(uri.getScheme())) {
            Path source = Path.of(uri);
            if (!Files.isRegularFile(source)) {
                return Optional.empty();
            }
            Files.copy(source, jar, StandardCopyOption.REPLACE_EXISTING);
        } else if ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
            HttpResponse<Path> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2)).GET().build(),
                    HttpResponse.BodyHandlers.ofFile(jar));
            if (response.statusCode() == 404) {
                Files.deleteIfExists(jar);
                return Optional.empty();
            }
            if (response.statusCode() != 200) {
                throw new IOException("GET " + uri + " answered HTTP " + response.statusCode());
            }
        } else {
            throw new IOException("contracts.release.repo must be a file:, http: or https: URL, not " + repo);
        }
        return Optional.of(unpack(jar, workDir.resolve(version)));
    }

    private static Path unpack(Path jar, Path target) throws IOException {
        if (Files.exists(target)) {
            try (Stream<Path> s = Files.walk(target)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(target);
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("bad entry in " + jar + ": " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    try (InputStream in = zip.getInputStream(entry)) {
                        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        return target;
    }

    /** Every breaking change from the baseline tree to the current tree, as "file: where: what". */
    static List<String> breakingChanges(Path baseline, Path current) {
        List<String> out = new ArrayList<>();
        for (Path old : Contracts.openApiFiles(baseline)) {
            String rel = Contracts.relative(baseline, old);
            Path now = current.resolve(rel);
            if (!Files.isRegularFile(now)) {
                out.add(rel + ": file removed (every operation in it is gone)");
            } else {
                OpenApiBreakingChanges.compare(old, now).forEach(c -> out.add(rel + ": " + c));
            }
        }
        for (Path old : Contracts.schemaFiles(baseline)) {
            String rel = Contracts.relative(baseline, old);
            Path now = current.resolve(rel);
            if (!Files.isRegularFile(now)) {
                out.add(rel + ": file removed");
            } else {
                JsonSchemaBreakingChanges.compare(old, now).forEach(c -> out.add(rel + ": " + c));
            }
        }
        return out;
    }

    /** Contract files (openapi/, schemas/, asyncapi/, examples/) added, removed or changed between two trees. */
    static List<String> differentFiles(Path released, Path current) throws IOException {
        List<String> out = new ArrayList<>();
        Set<String> names = new TreeSet<>();
        for (String dir : List.of("openapi", "schemas", "asyncapi", "examples")) {
            Contracts.files(released, dir).forEach(p -> names.add(Contracts.relative(released, p)));
            Contracts.files(current, dir).forEach(p -> names.add(Contracts.relative(current, p)));
        }
        for (String name : names) {
            Path a = released.resolve(name);
            Path b = current.resolve(name);
            if (!Files.exists(a)) {
                out.add(name + " (added)");
            } else if (!Files.exists(b)) {
                out.add(name + " (removed)");
            } else if (Files.mismatch(a, b) != -1) {
                out.add(name + " (changed)");
            }
        }
        return out;
    }

    /** The failure message, or empty when the changes may ship: none, or the major version moved past the baseline's. */
    static Optional<String> verdict(List<String> breaking, String baselineVersion, String projectVersion) {
        if (breaking.isEmpty() || major(projectVersion) > major(baselineVersion)) {
            return Optional.empty();
        }
        return Optional.of(breaking.size() + " breaking contract change(s) since org.agentplatform:contracts:" + baselineVersion
                + ", but the project version " + projectVersion + " keeps major " + major(projectVersion) + ":\n  - "
                + String.join("\n  - ", breaking)
                + "\nUndo them, or release them as a new major version: add openapi/<api>/v" + (major(baselineVersion) + 1)
                + "/openapi.yaml beside the old one and set the project version to " + (major(baselineVersion) + 1)
                + ".0.0 (README.md, 'Releasing a breaking change').");
    }

    static int major(String version) {
        String digits = version.replaceFirst("^(\\d+).*$", "$1");
        if (!digits.matches("\\d+")) {
            throw new IllegalArgumentException("not a semantic version: " + version);
        }
        return Integer.parseInt(digits);
    }
}
