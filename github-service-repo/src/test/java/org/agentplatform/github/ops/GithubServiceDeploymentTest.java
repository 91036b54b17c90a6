package org.agentplatform.github.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.agentplatform.github.support.ServiceTestBase;
import org.junit.jupiter.api.Test;
import org.junitpioneer.jupiter.StdIo;
import org.junitpioneer.jupiter.StdOut;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/k8s and the Dockerfile against this service. Runs in the surefire execution "ops": the production
 * logback.xml with LOG_FORMAT=json. Manifests are read with the fabric8 Kubernetes model with its any-setter
 * off, so a field the Kubernetes API does not know (readinesProbe) or a value of the wrong type fails.
 */
@MicronautTest(transactional = false)
class GithubServiceDeploymentTest extends ServiceTestBase {

    private static final ObjectMapper KUBERNETES = new ObjectMapper(new YAMLFactory()).setAnnotationIntrospector(
        new JacksonAnnotationIntrospector() { @Override public Boolean hasAnySetter(Annotated member) { return false; } });

    private final Deployment deployment = KUBERNETES.readValue(new File("deploy/k8s/deployment.yaml"), Deployment.class);
    private final Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);

    GithubServiceDeploymentTest() throws IOException {
    }

    @Test
    void kustomizationResourcesAreKubernetesObjectsOfThisService() throws IOException {
        for (JsonNode file : KUBERNETES.readTree(new File("deploy/k8s/kustomization.yaml")).get("resources")) {
            HasMetadata resource = KUBERNETES.readValue(new File("deploy/k8s", file.asText()), HasMetadata.class);
            assertThat(resource.getMetadata().getName()).startsWith("github-service");
        }
    }

    @Test
    void probesAnswerOnThisServiceAtThePortItListensOn() throws IOException {
        int port = container.getPorts().get(0).getContainerPort();
        assertThat(Files.readString(Path.of("src/main/resources/application.yml"))).contains("port: ${PORT:" + port + "}");
        assertThat(Files.readAllLines(Path.of("Dockerfile"))).contains("EXPOSE " + port);
        for (var probe : List.of(container.getStartupProbe(), container.getLivenessProbe(), container.getReadinessProbe())) {
            assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo(container.getPorts().get(0).getName());
            assertThat(api().get(probe.getHttpGet().getPath()).status()).as(probe.getHttpGet().getPath()).isEqualTo(200);
        }
    }

    @Test
    void secretKeysAreTheCredentialsThisServiceReadsAndOnlyGithubOnesAreOptional() throws IOException {
        String applicationYml = Files.readString(Path.of("src/main/resources/application.yml"));
        Map<String, Boolean> optional = new HashMap<>();
        container.getEnv().stream().filter(env -> env.getValueFrom() != null).forEach(env -> {
            var ref = env.getValueFrom().getSecretKeyRef();
            assertThat(ref.getName() + "/" + ref.getKey()).isEqualTo("github-service-secrets/" + env.getName());
            assertThat(applicationYml).contains("${" + env.getName() + ":");
            optional.put(env.getName(), Boolean.TRUE.equals(ref.getOptional()));
        });
        // without GitHub credentials the service runs in dry-run; without these two it must not start
        assertThat(optional).isEqualTo(Map.of("DATABASE_PASSWORD", false, "SERVICE_TOKENS", false, "GITHUB_TOKEN", true,
            "GITHUB_APP_ID", true, "GITHUB_APP_INSTALLATION_ID", true, "GITHUB_APP_PRIVATE_KEY", true));
    }

    @Test
    void imageCopiesThisBuildsJarAndRunsAsThePodsNonRootUser() throws IOException {
        List<String> dockerfile = Files.readAllLines(Path.of("Dockerfile"));
        assertThat(dockerfile).anyMatch(line -> line.matches("COPY .* target/" + System.getProperty("project.jar") + " /app/app.jar"));
        var pod = deployment.getSpec().getTemplate().getSpec().getSecurityContext();
        assertThat(pod.getRunAsNonRoot()).isTrue();
        assertThat(dockerfile).contains("USER " + pod.getRunAsUser() + ":" + pod.getRunAsGroup());
    }

    @Test
    void theOpenTelemetryAgentIsOnTheJavaCommandLineOnlyWhenAnExporterIsNamed() throws Exception {
        List<String> dockerfile = Files.readAllLines(Path.of("Dockerfile"));
        // exec form ["/bin/sh", "-c", "<script>"]: the script runs here with a `java` that prints its arguments
        JsonNode entrypoint = new ObjectMapper().readTree(dockerfile.stream().filter(line -> line.startsWith("ENTRYPOINT "))
            .findFirst().orElseThrow().substring("ENTRYPOINT".length()));
        Path java = Files.createTempDirectory("github-service-java").resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"$@\"\n");
        assertThat(java.toFile().setExecutable(true)).isTrue();
        Map<String, String> commandLines = new HashMap<>();
        for (String exporter : List.of("(unset)", "none", "otlp")) {
            commandLines.put(exporter, javaArguments(entrypoint, java.getParent(), exporter));
        }
        assertThat(commandLines).isEqualTo(Map.of("(unset)", "-jar /app/app.jar", "none", "-jar /app/app.jar",
            "otlp", "-javaagent:/app/opentelemetry-javaagent.jar -jar /app/app.jar"));
        assertThat(dockerfile).anyMatch(line -> line.startsWith("ADD ") && line.contains(" --checksum=sha256:"))
            .contains("    /app/opentelemetry-javaagent.jar");
        assertThat(KUBERNETES.readTree(new File("deploy/k8s/configmap.yaml")).path("data").path("OTEL_SERVICE_NAME").asText())
            .isEqualTo("github-service");
    }

    private static String javaArguments(JsonNode entrypoint, Path javaDir, String exporter) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        entrypoint.forEach(word -> command.add(word.asText()));
        ProcessBuilder process = new ProcessBuilder(command).redirectErrorStream(true);
        process.environment().put("PATH", javaDir + ":/usr/bin:/bin");
        process.environment().remove("OTEL_TRACES_EXPORTER");
        if (!exporter.equals("(unset)")) {
            process.environment().put("OTEL_TRACES_EXPORTER", exporter);
        }
        Process started = process.start();
        String output = new String(started.getInputStream().readAllBytes()).strip();
        assertThat(started.waitFor()).as(output).isZero();
        return output;
    }

    @Test
    @StdIo
    void everyLogLineIsJsonAndThoseOfACallCarryItsCorrelationId(StdOut out) throws IOException {
        assertThat(api().post("/api/v1/github/pr/octo/hello/7/comment", "{\"comment\": \"hi\"}", "X-Correlation-Id", "corr-7").status()).isEqualTo(200);
        List<JsonNode> lines = new java.util.ArrayList<>();
        for (String line : out.capturedLines()) {
            lines.add(new ObjectMapper().readTree(line));
        }
        assertThat(lines).filteredOn(line -> line.path("correlation_id").asText().equals("corr-7")).isNotEmpty()
            .allSatisfy(line -> assertThat(line.path("service").asText()).isEqualTo("github-service"));
    }
}
