package org.agentplatform.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The artifact holds the contract set of docs/conventions.md and nothing but contract files; CHANGELOG.md is kept. */
class ContractLayoutTest {

    private final Path root = Contracts.root();

    @Test
    void everyApiHasItsV1OpenApiFile() {
        assertThat(Contracts.APIS).allSatisfy(api ->
                assertThat(root.resolve("openapi/" + api + "/v1/openapi.yaml")).as("openapi/%s/v1/openapi.yaml", api).isRegularFile());
    }

    @Test
    void everyMessageHasItsSchemaAndTheAsyncApiFileExists() {
        assertThat(Contracts.MESSAGES).allSatisfy(m ->
                assertThat(root.resolve("schemas/" + m + ".schema.json")).as("schemas/%s.schema.json", m).isRegularFile());
        assertThat(root.resolve("asyncapi/platform.yaml")).isRegularFile();
    }

    @Test
    void theChangelogHasAnEntryForTheProjectVersion() throws IOException {
        String version = System.getProperty("project.version");
        Assumptions.assumeTrue(version != null && !version.contains("${"), "run through Maven");
        Path changelog = Path.of(System.getProperty("basedir", "."), "CHANGELOG.md");
        assertThat(Files.readString(changelog)).as("CHANGELOG.md needs a '## [%s] - <date>' section", version)
                .containsPattern("(?m)^## \\[" + Pattern.quote(version.replace("-SNAPSHOT", "")) + "\\]");
    }

    @Test
    void onlyContractFilesAreShipped() {
        List<String> stray = Stream.of("openapi", "schemas", "asyncapi", "examples")
                .flatMap(dir -> Contracts.files(root, dir).stream())
                .map(p -> Contracts.relative(root, p))
                .filter(p -> !p.matches("openapi/[a-z0-9-]+/v\\d+/openapi\\.yaml")
                        && !p.matches("schemas/[A-Za-z0-9]+\\.schema\\.json")
                        && !p.matches("asyncapi/[a-z0-9-]+\\.yaml")
                        && !p.matches("examples/(schemas/[A-Za-z0-9]+|openapi/[a-z0-9-]+(/v\\d+)?/[A-Za-z0-9]+)/(valid|invalid)/[^/]+\\.json"))
                .toList();
        assertThat(stray).as("files that are not contract files (see README.md, 'Layout')").isEmpty();
        try (Stream<Path> top = Files.list(root)) {
            assertThat(top.map(p -> p.getFileName().toString()))
                    .as("top-level folders of %s", root).isSubsetOf("openapi", "schemas", "asyncapi", "examples");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
