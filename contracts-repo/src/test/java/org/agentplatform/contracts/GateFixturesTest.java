package org.agentplatform.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the gate on fixed pairs: {@code gate-fixtures/breaking/<case>/{old,new}.{yaml,json}} must be reported with
 * every line of the case's expected.txt in the message; {@code gate-fixtures/compatible/<case>} must pass.
 */
class GateFixturesTest {

    private static final Path FIXTURES = fixtures();

    @TestFactory
    Stream<DynamicTest> breakingCasesAreReportedByName() {
        return cases("breaking").map(dir -> dynamicTest(dir.getFileName().toString(), () -> {
            List<String> changes = compare(dir);
            List<String> expected = Files.readAllLines(dir.resolve("expected.txt")).stream().filter(l -> !l.isBlank()).toList();
            String message = String.join("\n", changes);
            assertThat(changes).as("breaking changes found in %s", dir.getFileName()).isNotEmpty();
            for (String e : expected) {
                assertThat(message).as("the report names the change").contains(e);
            }
            assertThat(CompatibilityGate.verdict(changes, "1.0.0", "1.1.0")).get().asString().contains(expected);
        }));
    }

    @TestFactory
    Stream<DynamicTest> compatibleCasesPass() {
        return cases("compatible").map(dir -> dynamicTest(dir.getFileName().toString(),
                () -> assertThat(compare(dir)).as("changes reported as breaking for %s", dir.getFileName()).isEmpty()));
    }

    @Test
    void aNewMajorVersionLetsBreakingChangesThroughAMinorOrPatchDoesNot() throws IOException {
        List<String> changes = compare(FIXTURES.resolve("breaking/openapi-retype-comment-id"));
        assertThat(changes).isNotEmpty();
        assertThat(CompatibilityGate.verdict(changes, "1.0.0", "2.0.0")).isEmpty();
        assertThat(CompatibilityGate.verdict(changes, "1.4.2", "2.0.0-SNAPSHOT")).isEmpty();
        assertThat(CompatibilityGate.verdict(changes, "1.0.0", "1.1.0")).get().asString()
                .contains("comment_id", "keeps major 1", "v2");
        assertThat(CompatibilityGate.verdict(changes, "1.0.0", "1.0.1")).isPresent();
        assertThat(CompatibilityGate.verdict(changes, "2.0.0", "2.3.0")).isPresent();
        assertThat(CompatibilityGate.verdict(List.of(), "1.0.0", "1.0.1")).isEmpty();
    }

    @Test
    void theBaselineIsReadFromAMavenLayoutReleaseRepository(@TempDir Path tmp) throws Exception {
        // a release repo with contracts 1.0.0 whose github-service API has the seed path; the working copy lost it
        Path repo = tmp.resolve("repo");
        Path jar = repo.resolve(CompatibilityGate.GROUP_PATH + "/1.0.0/contracts-1.0.0.jar");
        Files.createDirectories(jar.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new ZipEntry("openapi/github-service/v1/openapi.yaml"));
            out.write(Files.readAllBytes(FIXTURES.resolve("breaking/openapi-rename-seed-path/old.yaml")));
            out.putNextEntry(new ZipEntry("schemas/TaskQueueMessage.schema.json"));
            out.write(Files.readAllBytes(FIXTURES.resolve("breaking/schema-remove-property/old.json")));
        }
        Path current = tmp.resolve("current");
        Files.createDirectories(current.resolve("openapi/github-service/v1"));
        Files.copy(FIXTURES.resolve("breaking/openapi-rename-seed-path/new.yaml"), current.resolve("openapi/github-service/v1/openapi.yaml"));
        Files.createDirectories(current.resolve("schemas"));
        Files.copy(FIXTURES.resolve("breaking/schema-remove-property/new.json"), current.resolve("schemas/TaskQueueMessage.schema.json"));

        String url = repo.toUri().toString();
        assertThat(CompatibilityGate.fetchBaseline(url, "9.9.9", tmp.resolve("work"))).isEmpty();
        Path baseline = CompatibilityGate.fetchBaseline(url, "1.0.0", tmp.resolve("work")).orElseThrow();

        List<String> changes = CompatibilityGate.breakingChanges(baseline, current);
        assertThat(String.join("\n", changes)).contains(
                "openapi/github-service/v1/openapi.yaml: POST /api/v1/github/pr/{owner}/{repo}/{pr_number}/comment: operation removed",
                "schemas/TaskQueueMessage.schema.json: correlation_id: property removed");
        assertThat(CompatibilityGate.breakingChanges(baseline, tmp.resolve("empty")))
                .contains("openapi/github-service/v1/openapi.yaml: file removed (every operation in it is gone)",
                        "schemas/TaskQueueMessage.schema.json: file removed");
        assertThat(CompatibilityGate.breakingChanges(baseline, baseline)).isEmpty();
    }

    private static List<String> compare(Path dir) {
        if (Files.exists(dir.resolve("old.yaml"))) {
            return OpenApiBreakingChanges.compare(dir.resolve("old.yaml"), dir.resolve("new.yaml"));
        }
        return JsonSchemaBreakingChanges.compare(dir.resolve("old.json"), dir.resolve("new.json"));
    }

    private static Stream<Path> cases(String kind) {
        return Contracts.dirs(FIXTURES.resolve(kind)).stream();
    }

    private static Path fixtures() {
        try {
            return Path.of(GateFixturesTest.class.getResource("/gate-fixtures").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
