package org.agentplatform.dashboard.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.agentplatform.dashboard.support.ApiClient;
import org.agentplatform.dashboard.support.TestInfra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junitpioneer.jupiter.StdIo;
import org.junitpioneer.jupiter.StdOut;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's image and deploy/k8s against the running dashboard, in the surefire execution "ops"
 * (production logback.xml, LOG_FORMAT=json). The fabric8 Kubernetes model reads the manifests with its
 * any-setter switched off, so an unknown field or a wrongly typed value fails instead of being kept aside.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardDeploymentTest implements TestPropertyProvider {

    private static final ObjectMapper KUBERNETES = new ObjectMapper(new YAMLFactory()).setAnnotationIntrospector(
        new JacksonAnnotationIntrospector() { @Override public Boolean hasAnySetter(Annotated member) { return false; } });

    @Inject
    EmbeddedServer server;

    private final PodSpec pod = KUBERNETES.readValue(new File("deploy/k8s/deployment.yaml"), Deployment.class).getSpec().getTemplate().getSpec();
    private final Container dashboard = pod.getContainers().get(0);

    DashboardDeploymentTest() throws IOException {
    }

    @Override
    public Map<String, String> getProperties() {
        return TestInfra.properties();
    }

    @Test
    void theKustomizationAppliesKubernetesObjectsLabelledDashboard() throws IOException {
        for (JsonNode resource : KUBERNETES.readTree(new File("deploy/k8s/kustomization.yaml")).get("resources")) {
            HasMetadata manifest = KUBERNETES.readValue(new File("deploy/k8s/" + resource.asText()), HasMetadata.class);
            assertThat(manifest.getMetadata().getLabels()).as(resource.asText()).containsEntry("app.kubernetes.io/name", "dashboard");
        }
    }

    @Test
    void probesAreAnsweredByTheDashboardOnItsConfiguredPort() throws IOException {
        assertThat(dashboard.getPorts().get(0).getContainerPort()).isEqualTo(8085);
        assertThat(Files.readString(Path.of("src/main/resources/application.yml"))).contains("port: ${PORT:8085}");
        ApiClient anonymous = new ApiClient(server.getPort());
        assertThat(anonymous.get(dashboard.getStartupProbe().getHttpGet().getPath()).statusCode()).isEqualTo(200);
        assertThat(anonymous.get(dashboard.getLivenessProbe().getHttpGet().getPath()).statusCode()).isEqualTo(200);
        assertThat(anonymous.get(dashboard.getReadinessProbe().getHttpGet().getPath()).body()).contains("\"jdbc\"");
    }

    @Test
    void theSecretHoldsWhatTheDashboardReadsAndTheUsersWithoutTheLocalAdminPassword() throws IOException {
        String applicationYml = Files.readString(Path.of("src/main/resources/application.yml"));
        assertThat(dashboard.getEnv()).filteredOn(env -> env.getValueFrom() != null).allSatisfy(env -> {
            assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("dashboard-secrets");
            assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo(env.getName());
            assertThat(env.getValueFrom().getSecretKeyRef().getOptional()).as(env.getName()).isNull();
            assertThat(applicationYml).contains("${" + env.getName() + ":");
        }).extracting(env -> env.getName()).containsExactlyInAnyOrder("DATABASE_PASSWORD", "REDIS_URL", "SERVICE_TOKEN", "DASHBOARD_USERS");
    }

    @Test
    void theImageRunsAsTheUserThePodRequires() throws IOException {
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(Files.readAllLines(Path.of("Dockerfile")))
            .contains("USER " + pod.getSecurityContext().getRunAsUser() + ":" + pod.getSecurityContext().getRunAsGroup(), "EXPOSE 8085")
            .anyMatch(line -> line.endsWith(" target/" + System.getProperty("project.jar") + " /app/app.jar"));
    }

    @Test
    void theImageLoadsTheOpenTelemetryAgentOnlyWhenTracesExportIsSwitchedOn() throws Exception {
        Path dockerfile = Path.of("Dockerfile");
        String entrypoint = Files.readAllLines(dockerfile).stream().filter(line -> line.startsWith("ENTRYPOINT ")).findFirst().orElseThrow();
        String[] command = new ObjectMapper().readValue(entrypoint.substring("ENTRYPOINT ".length()), String[].class);
        assertThat(command).hasSize(3).startsWith("/bin/sh", "-c");
        // OTEL_TRACES_EXPORTER -> what `java` is started with (a `java` on PATH that echoes its arguments)
        Path path = Files.createTempDirectory("dashboard-java");
        Files.writeString(path.resolve("java"), "#!/bin/sh\necho \"$@\"\n");
        assertThat(path.resolve("java").toFile().setExecutable(true)).isTrue();
        Map<String, String> expected = Map.of("none", "-jar /app/app.jar", "otlp", "-javaagent:/app/opentelemetry-javaagent.jar -jar /app/app.jar",
            "zipkin", "-javaagent:/app/opentelemetry-javaagent.jar -jar /app/app.jar");
        assertThat(started(command, path, null)).isEqualTo("-jar /app/app.jar");
        for (Map.Entry<String, String> exporter : expected.entrySet()) {
            assertThat(started(command, path, exporter.getKey())).as(exporter.getKey()).isEqualTo(exporter.getValue());
        }
        assertThat(Files.readString(dockerfile)).contains("--checksum=sha256:5c48cd48f9907f824214e22f14a28375c92613a94b0cf98381997e0a678220ce");
        var config = KUBERNETES.readValue(new File("deploy/k8s/configmap.yaml"), ConfigMap.class);
        assertThat(dashboard.getEnvFrom()).extracting(from -> from.getConfigMapRef().getName()).contains(config.getMetadata().getName());
        assertThat(config.getData().get("OTEL_SERVICE_NAME")).isEqualTo("dashboard");
    }

    private static String started(String[] command, Path path, String tracesExporter) throws Exception {
        ProcessBuilder shell = new ProcessBuilder(command).redirectErrorStream(true);
        shell.environment().remove("OTEL_TRACES_EXPORTER");
        Optional.ofNullable(tracesExporter).ifPresent(exporter -> shell.environment().put("OTEL_TRACES_EXPORTER", exporter));
        shell.environment().put("PATH", path + ":/usr/bin:/bin");
        Process process = shell.start();
        String echoed = new String(process.getInputStream().readAllBytes()).trim();
        assertThat(process.waitFor()).as(echoed).isZero();
        return echoed;
    }

    @Test
    @StdIo
    void aBadEventOnTheStreamIsLoggedAsJson(StdOut out) throws Exception {
        String id = TestInfra.redis().xadd("agent:events", Map.of("event", "not a task event"));
        for (int i = 0; i < 50 && !String.join("\n", out.capturedLines()).contains(id); i++) {
            Thread.sleep(100);
        }
        ObjectMapper json = new ObjectMapper();
        assertThat(out.capturedLines()).anySatisfy(line -> assertThat(json.readTree(line).path("message").asText()).contains(id))
            .allSatisfy(line -> assertThat(json.readTree(line).path("service").asText()).isEqualTo("dashboard"));
    }
}
