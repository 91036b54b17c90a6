package org.agentplatform.slack.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.agentplatform.slack.support.SlackServiceTestBase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junitpioneer.jupiter.StdIo;
import org.junitpioneer.jupiter.StdOut;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * deploy/k8s and the Dockerfile against this service (surefire execution "ops": production logback.xml with
 * LOG_FORMAT=json). The manifests are read by the fabric8 Kubernetes model without its any-setter, so a field
 * the Kubernetes API does not know or a value of the wrong type fails the build.
 */
@MicronautTest(transactional = false)
class SlackServiceDeploymentTest extends SlackServiceTestBase {

    private static final ObjectMapper KUBERNETES = new ObjectMapper(new YAMLFactory()).setAnnotationIntrospector(
        new JacksonAnnotationIntrospector() { @Override public Boolean hasAnySetter(Annotated member) { return false; } });

    private PodSpec pod;
    private Container slack;

    @Override
    protected boolean withBotToken() {
        return false;  // dry-run
    }

    @BeforeAll
    void readDeployment() throws IOException {
        pod = KUBERNETES.readValue(new File("deploy/k8s/deployment.yaml"), Deployment.class).getSpec().getTemplate().getSpec();
        slack = pod.getContainers().get(0);
    }

    @Test
    void kustomizationListsOnlyKubernetesObjectsOfSlackService() throws IOException {
        JsonNode kustomization = KUBERNETES.readTree(new File("deploy/k8s/kustomization.yaml"));
        assertThat(kustomization.path("resources")).isNotEmpty().allSatisfy(file -> assertThat(
            KUBERNETES.readValue(new File("deploy/k8s", file.asText()), HasMetadata.class).getMetadata().getName()).startsWith("slack-service"));
    }

    @Test
    void everyProbeAnswers200OnTheRunningServiceThroughTheHttpPort() throws IOException {
        assertThat(slack.getPorts()).singleElement().satisfies(port -> assertThat(Files.readString(Path.of("src/main/resources/application.yml")))
            .contains("${PORT:" + port.getContainerPort() + "}"));
        Stream.of(slack.getStartupProbe(), slack.getLivenessProbe(), slack.getReadinessProbe()).map(probe -> probe.getHttpGet()).forEach(get -> {
            assertThat(get.getPort().getStrVal()).isEqualTo(slack.getPorts().get(0).getName());
            assertThat(call("GET", get.getPath(), null).statusCode()).as(get.getPath()).isEqualTo(200);
        });
    }

    @Test
    void secretsAreTheDatabasePasswordTheCallersTokensAndAnOptionalBotToken() throws IOException {
        var refs = slack.getEnv().stream().filter(env -> env.getValueFrom() != null).map(env -> env.getValueFrom().getSecretKeyRef()).toList();
        assertThat(refs).extracting(SecretKeySelector::getName).containsOnly("slack-service-secrets");
        assertThat(refs).extracting(SecretKeySelector::getKey, SecretKeySelector::getOptional).containsExactlyInAnyOrder(
            tuple("DATABASE_PASSWORD", null), tuple("SERVICE_TOKENS", null), tuple("SLACK_BOT_TOKEN", true));  // without it: dry-run
        String applicationYml = Files.readString(Path.of("src/main/resources/application.yml"));
        refs.forEach(ref -> assertThat(applicationYml).contains("${" + ref.getKey() + ":"));
        assertThat(slack.getEnv()).allMatch(env -> env.getValueFrom() == null || env.getName().equals(env.getValueFrom().getSecretKeyRef().getKey()));
    }

    @Test
    void theImageRunsTheBuiltJarAsTheUserOfThePodSecurityContext() throws IOException {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(dockerfile).contains("\nUSER " + pod.getSecurityContext().getRunAsUser() + ":" + pod.getSecurityContext().getRunAsGroup() + "\n")
            .contains(" target/" + System.getProperty("project.jar") + " /app/app.jar");
    }

    @Test
    void withoutANamedTracesExporterTheImageStartsJavaWithoutTheOpenTelemetryAgent() throws IOException {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        String execForm = dockerfile.lines().filter(line -> line.startsWith("ENTRYPOINT ")).findFirst().orElseThrow().substring(11);
        JsonNode entrypoint = new ObjectMapper().readTree(execForm);
        Path bin = Files.createTempDirectory("slack-bin");
        Files.writeString(bin.resolve("java"), "#!/bin/sh\necho \"java $*\"\n");
        assertThat(bin.resolve("java").toFile().setExecutable(true)).isTrue();
        // "" and "none" are what the OpenTelemetry agent itself takes for no exporter
        assertThat(Stream.of(null, "", "none", "otlp").map(exporter -> exporter + ": " + shellOutput(entrypoint, bin, exporter))).containsExactly(
            "null: java -jar /app/app.jar", ": java -jar /app/app.jar", "none: java -jar /app/app.jar",
            "otlp: java -javaagent:/app/opentelemetry-javaagent.jar -jar /app/app.jar");
        assertThat(dockerfile).contains("\nADD --chown=10001:10001 --checksum=sha256:", "opentelemetry-javaagent-2.24.0.jar");
        assertThat(KUBERNETES.readTree(new File("deploy/k8s/configmap.yaml")).at("/data/OTEL_SERVICE_NAME").asText()).isEqualTo("slack-service");
    }

    private static String shellOutput(JsonNode entrypoint, Path bin, String tracesExporter) {
        ProcessBuilder builder = new ProcessBuilder(Stream.of(0, 1, 2).map(i -> entrypoint.get(i).asText()).toList()).redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":/usr/bin:/bin");
        builder.environment().remove("OTEL_TRACES_EXPORTER");
        if (tracesExporter != null) {
            builder.environment().put("OTEL_TRACES_EXPORTER", tracesExporter);
        }
        try {
            Process shell = builder.start();
            String output = new String(shell.getInputStream().readAllBytes()).trim();
            assertThat(shell.waitFor()).as(output).isZero();
            return output;
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @StdIo
    void jsonLogLinesOfAPostedMessageCarryItsCorrelationId(StdOut out) throws IOException {
        var response = call("POST", "/api/v1/slack/messages", "{\"channel\":\"C0123456789\",\"text\":\"hi\"}", "X-Correlation-Id", "slack-c-42");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        ObjectMapper json = new ObjectMapper();
        assertThat(Stream.of(out.capturedLines()).map(line -> {
            try {
                return json.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("not a JSON line: " + line, e);
            }
        })).anySatisfy(line -> assertThat(line.path("correlation_id").asText()).isEqualTo("slack-c-42"));
    }
}
