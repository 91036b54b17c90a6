package org.agentplatform.gateway.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.agentplatform.gateway.support.GatewayTestSupport;
import org.junit.jupiter.api.Test;
import org.junitpioneer.jupiter.StdIo;
import org.junitpioneer.jupiter.StdOut;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's image, deploy/k8s and its blue-green recipe against the running gateway, in the surefire
 * execution "ops" (production logback.xml, LOG_FORMAT=json). The fabric8 Kubernetes model reads the
 * manifests without its any-setter: an unknown field or a wrongly typed value fails.
 */
@MicronautTest(transactional = false)
class GatewayDeploymentTest extends GatewayTestSupport {

    private static final ObjectMapper KUBERNETES = new ObjectMapper(new YAMLFactory()).setAnnotationIntrospector(
        new JacksonAnnotationIntrospector() { @Override public Boolean hasAnySetter(Annotated member) { return false; } });

    private final Deployment rolling = read("deploy/k8s/deployment.yaml", Deployment.class);
    private final Container gateway = rolling.getSpec().getTemplate().getSpec().getContainers().get(0);

    GatewayDeploymentTest() throws IOException {
    }

    private static <T> T read(String file, Class<T> type) throws IOException {
        return KUBERNETES.readValue(new File(file), type);
    }

    @Test
    void bothKustomizationsListKubernetesObjectsOfTheGateway() throws IOException {
        for (String dir : new String[]{"deploy/k8s/", "deploy/k8s/blue-green/"}) {
            for (JsonNode file : KUBERNETES.readTree(new File(dir + "kustomization.yaml")).get("resources")) {
                assertThat(read(dir + file.asText(), HasMetadata.class).getMetadata().getLabels()).containsEntry("app.kubernetes.io/name", "gateway");
            }
        }
    }

    @Test
    void blueAndGreenRunTheRollingPodWithASlotLabelAndTheServiceSendsTrafficToOneSlot() throws IOException {
        Map<String, String> serviceSelector = read("deploy/k8s/blue-green/service.yaml", Service.class).getSpec().getSelector();
        int selected = 0;
        for (String slot : new String[]{"blue", "green"}) {
            var spec = read("deploy/k8s/blue-green/deployment-" + slot + ".yaml", Deployment.class).getSpec();
            assertThat(spec.getSelector().getMatchLabels()).containsEntry("slot", slot);
            assertThat(spec.getTemplate().getMetadata().getLabels()).containsAllEntriesOf(spec.getSelector().getMatchLabels());
            assertThat(spec.getTemplate().getSpec()).isEqualTo(rolling.getSpec().getTemplate().getSpec());
            selected += spec.getTemplate().getMetadata().getLabels().entrySet().containsAll(serviceSelector.entrySet()) ? 1 : 0;
        }
        assertThat(selected).isOne();
        assertThat(rolling.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
    }

    @Test
    void probesAnswerOnTheRunningGatewayAtTheContainerPort() throws IOException {
        assertThat(Files.readString(Path.of("src/main/resources/application.yml"))).contains("port: ${PORT:" + gateway.getPorts().get(0).getContainerPort() + "}");
        for (var probe : new io.fabric8.kubernetes.api.model.Probe[]{gateway.getStartupProbe(), gateway.getLivenessProbe(), gateway.getReadinessProbe()}) {
            assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
            assertThat(api("GET", probe.getHttpGet().getPath(), null, null, Map.of()).status()).as(probe.getHttpGet().getPath()).isEqualTo(200);
        }
        // readiness covers what a webhook needs: PostgreSQL to store it, Redis to enqueue it
        assertThat(api("GET", gateway.getReadinessProbe().getHttpGet().getPath(), null, null, Map.of()).body()).contains("\"jdbc\"", "\"redis\"");
    }

    @Test
    void secretKeysAreTheCredentialsTheGatewayReadsAndVendorSecretsAreOptional() throws IOException {
        String applicationYml = Files.readString(Path.of("src/main/resources/application.yml"));
        Map<String, Boolean> optional = new TreeMap<>();
        gateway.getEnv().stream().filter(env -> env.getValueFrom() != null).forEach(env -> {
            assertThat(env.getValueFrom().getSecretKeyRef().getName() + "/" + env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("gateway-secrets/" + env.getName());
            assertThat(applicationYml).contains("${" + env.getName() + ":");
            optional.put(env.getName(), Boolean.TRUE.equals(env.getValueFrom().getSecretKeyRef().getOptional()));
        });
        assertThat(optional).isEqualTo(Map.of("DATABASE_PASSWORD", false, "REDIS_URL", false, "SERVICE_TOKENS", false, "SERVICE_TOKEN", false,
            "GITHUB_WEBHOOK_SECRET", true, "SLACK_SIGNING_SECRET", true, "JIRA_WEBHOOK_SECRET", true, "SENTRY_CLIENT_SECRET", true));
    }

    @Test
    void imageRunsTheBuiltJarAsThePodsUser() throws IOException {
        var pod = rolling.getSpec().getTemplate().getSpec().getSecurityContext();
        assertThat(pod.getRunAsNonRoot()).isTrue();
        assertThat(Files.readAllLines(Path.of("Dockerfile"))).contains("USER " + pod.getRunAsUser() + ":" + pod.getRunAsGroup(), "EXPOSE 8080",
            "COPY --chown=10001:10001 target/" + System.getProperty("project.jar") + " /app/app.jar");
    }

    @Test
    void theImageLoadsTheOpenTelemetryAgentOnlyWhenAnExporterIsNamed() throws Exception {
        String entrypoint = Files.readAllLines(Path.of("Dockerfile")).stream().filter(l -> l.startsWith("ENTRYPOINT "))
            .findFirst().orElseThrow().substring("ENTRYPOINT ".length());
        JsonNode exec = new ObjectMapper().readTree(entrypoint);  // exec form: ["/bin/sh", "-c", "<script>"]
        assertThat(exec.get(0).asText()).isEqualTo("/bin/sh");
        // run the entrypoint's script with a `java` that prints what it was started with
        Path bin = Files.createTempDirectory("fake-java");
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"$@\"\n");
        assertThat(java.toFile().setExecutable(true)).isTrue();
        assertThat(runEntrypoint(exec, bin, null)).isEqualTo("-jar /app/app.jar");
        assertThat(runEntrypoint(exec, bin, "none")).isEqualTo("-jar /app/app.jar");
        assertThat(runEntrypoint(exec, bin, "otlp")).isEqualTo("-javaagent:/app/opentelemetry-javaagent.jar -jar /app/app.jar");
        assertThat(Files.readString(Path.of("Dockerfile"))).contains("--checksum=sha256:", "/app/opentelemetry-javaagent.jar");
        assertThat(Files.readString(Path.of("deploy/k8s/configmap.yaml"))).contains("OTEL_SERVICE_NAME: \"gateway\"");
    }

    private static String runEntrypoint(JsonNode exec, Path bin, String exporter) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(exec.get(0).asText(), exec.get(1).asText(), exec.get(2).asText());
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        pb.environment().remove("OTEL_TRACES_EXPORTER");
        if (exporter != null) {
            pb.environment().put("OTEL_TRACES_EXPORTER", exporter);
        }
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    @StdIo
    void aTaskAcceptedThroughTheApiIsLoggedAsJsonWithItsCorrelationId(StdOut out) throws Exception {
        String task = "{\"input_message\":\"Summarise the open bugs\",\"user_id\":\"deploy-bot\"}";
        assertThat(api("POST", "/api/v1/tasks", task, API_TOKEN, Map.of("X-Correlation-Id", "gw-ops-1")).status()).isEqualTo(202);
        for (int i = 0; i < 50 && !String.join("\n", out.capturedLines()).contains("gw-ops-1"); i++) {
            Thread.sleep(100);  // the console is written by logback's AsyncAppender
        }
        ObjectMapper json = new ObjectMapper();
        assertThat(out.capturedLines()).isNotEmpty().anySatisfy(line -> assertThat(json.readTree(line).path("correlation_id").asText()).isEqualTo("gw-ops-1"))
            .allSatisfy(line -> assertThat(json.readTree(line).path("service").asText()).isEqualTo("gateway"));
    }
}
