package org.agentplatform.jira.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.agentplatform.jira.it.ServiceTestBase;
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
 * deploy/k8s and the Dockerfile against this service, in the surefire execution "ops" (production logback.xml,
 * LOG_FORMAT=json). The fabric8 Kubernetes model reads the manifests with its any-setter off: a field the
 * Kubernetes API does not know, or a value of the wrong type, fails.
 */
@MicronautTest(transactional = false)
class JiraServiceDeploymentTest extends ServiceTestBase {

    private static final ObjectMapper KUBERNETES = new ObjectMapper(new YAMLFactory()).setAnnotationIntrospector(
        new JacksonAnnotationIntrospector() { @Override public Boolean hasAnySetter(Annotated member) { return false; } });

    @Override
    protected Map<String, String> serviceProperties() {
        return Map.of();  // no Jira credentials: dry-run
    }

    private static <T> T manifest(String file, Class<T> type) throws IOException {
        return KUBERNETES.readValue(new File("deploy/k8s", file), type);
    }

    private static Container container() throws IOException {
        return manifest("deployment.yaml", Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    @Test
    void everyKustomizationResourceIsAKubernetesObjectNamedForJiraService() throws IOException {
        for (JsonNode resource : KUBERNETES.readTree(new File("deploy/k8s/kustomization.yaml")).path("resources")) {
            assertThat(manifest(resource.asText(), HasMetadata.class).getMetadata().getName()).startsWith("jira-service");
        }
    }

    @Test
    void livenessAndReadinessPathsAreServedOnTheContainerPort() throws IOException {
        Container container = container();
        assertThat(Files.readString(Path.of("src/main/resources/application.yml")))
            .contains("port: ${PORT:" + container.getPorts().get(0).getContainerPort() + "}");
        assertThat(apiGet(container.getLivenessProbe().getHttpGet().getPath()).status()).isEqualTo(200);
        assertThat(apiGet(container.getStartupProbe().getHttpGet().getPath()).status()).isEqualTo(200);
        // readiness includes PostgreSQL
        assertThat(apiGet(container.getReadinessProbe().getHttpGet().getPath()).body()).contains("\"jdbc\"");
    }

    @Test
    void theApiTokenIsTheOnlyOptionalSecretAndTheRestOfRealModeIsInTheConfigMap() throws IOException {
        Map<String, Boolean> secrets = new HashMap<>();
        for (EnvVar env : container().getEnv()) {
            if (env.getValueFrom() != null) {
                var ref = env.getValueFrom().getSecretKeyRef();
                assertThat(List.of(ref.getName(), ref.getKey())).containsExactly("jira-service-secrets", env.getName());
                secrets.put(env.getName(), Boolean.TRUE.equals(ref.getOptional()));
            }
        }
        assertThat(secrets).isEqualTo(Map.of("DATABASE_PASSWORD", false, "SERVICE_TOKENS", false, "JIRA_API_TOKEN", true));
        assertThat(manifest("configmap.yaml", ConfigMap.class).getData()).containsKeys("JIRA_BASE_URL", "JIRA_EMAIL");
        assertThat(Files.readString(Path.of("src/main/resources/application.yml")))
            .contains("${DATABASE_PASSWORD:}", "${SERVICE_TOKENS:}", "${JIRA_API_TOKEN:}", "${JIRA_BASE_URL:}", "${JIRA_EMAIL:}");
    }

    @Test
    void dockerfileUserIsThePodsRunAsUser() throws IOException {
        var security = manifest("deployment.yaml", Deployment.class).getSpec().getTemplate().getSpec().getSecurityContext();
        assertThat(security.getRunAsNonRoot()).isTrue();
        assertThat(Files.readAllLines(Path.of("Dockerfile")))
            .contains("USER " + security.getRunAsUser() + ":" + security.getRunAsGroup())
            .anyMatch(line -> line.startsWith("COPY ") && line.contains(" target/" + System.getProperty("project.jar") + " "));
    }

    @Test
    void theEntrypointAddsTheOpenTelemetryAgentOnlyForANamedTracesExporter() throws Exception {
        String entrypoint = Files.readAllLines(Path.of("Dockerfile")).stream().filter(line -> line.startsWith("ENTRYPOINT "))
            .reduce((first, second) -> second).orElseThrow();
        List<String> shell = new ObjectMapper().readerForListOf(String.class).readValue(entrypoint.substring("ENTRYPOINT ".length()));
        assertThat(shell.subList(0, 2)).containsExactly("/bin/sh", "-c");
        assertThat(javaStartedBy(shell, null)).isEqualTo("-jar /app/app.jar");
        assertThat(javaStartedBy(shell, "none")).isEqualTo("-jar /app/app.jar");
        assertThat(javaStartedBy(shell, "otlp")).isEqualTo("-javaagent:/app/opentelemetry-javaagent.jar -jar /app/app.jar");
        assertThat(Files.readString(Path.of("Dockerfile"))).containsPattern("--checksum=sha256:[0-9a-f]{64} ")
            .contains("/opentelemetry-javaagent-2.24.0.jar \\\n    /app/opentelemetry-javaagent.jar\n");
        // the pod gets the service name of its spans from the ConfigMap it reads
        ConfigMap config = manifest("configmap.yaml", ConfigMap.class);
        assertThat(container().getEnvFrom()).anySatisfy(from -> assertThat(from.getConfigMapRef().getName()).isEqualTo(config.getMetadata().getName()));
        assertThat(config.getData()).containsEntry("OTEL_SERVICE_NAME", "jira-service");
    }

    /** The arguments the entrypoint's script starts `java` with, a stand-in that writes them to a file. */
    private static String javaStartedBy(List<String> shell, String tracesExporter) throws Exception {
        Path dir = Files.createTempDirectory("jira-entrypoint");
        Path args = dir.resolve("args");
        Files.writeString(dir.resolve("java"), "#!/bin/sh\nprintf '%s' \"$*\" > '" + args + "'\n");
        assertThat(dir.resolve("java").toFile().setExecutable(true)).isTrue();
        ProcessBuilder sh = new ProcessBuilder(shell).inheritIO();
        sh.environment().put("PATH", dir + ":/usr/bin:/bin");
        sh.environment().remove("OTEL_TRACES_EXPORTER");
        if (tracesExporter != null) {
            sh.environment().put("OTEL_TRACES_EXPORTER", tracesExporter);
        }
        assertThat(sh.start().waitFor()).isZero();
        return Files.readString(args);
    }

    @Test
    @StdIo
    void logLinesOfACommentCarryItsCorrelationIdAsJson(StdOut out) throws IOException {
        assertThat(apiPost("/api/v1/jira/issues/PROJ-123/comments", "{\"body\": \"hi\"}", "X-Correlation-Id", "jira-corr-1").status())
            .isEqualTo(200);
        ObjectMapper json = new ObjectMapper();
        long ours = 0;
        for (String line : out.capturedLines()) {
            JsonNode fields = json.readTree(line);  // every line alone is a JSON document
            ours += fields.path("correlation_id").asText().equals("jira-corr-1") ? 1 : 0;
        }
        assertThat(ours).isPositive();
    }
}
