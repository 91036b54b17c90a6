package org.agentplatform.sentry.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.agentplatform.sentry.support.TestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junitpioneer.jupiter.StdIo;
import org.junitpioneer.jupiter.StdOut;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sentry-service's image and deploy/k8s checked against the running service, in the surefire execution "ops"
 * (the production logback.xml, LOG_FORMAT=json). Manifests go through the fabric8 Kubernetes model with the
 * any-setter off: an unknown field or a wrongly typed value is an error, not an additional property.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SentryServiceDeploymentTest implements TestPropertyProvider {

    private static final ObjectMapper KUBERNETES = new ObjectMapper(new YAMLFactory()).setAnnotationIntrospector(
        new JacksonAnnotationIntrospector() { @Override public Boolean hasAnySetter(Annotated member) { return false; } });

    @Inject
    EmbeddedServer server;

    private final Deployment deployment = KUBERNETES.readValue(new File("deploy/k8s/deployment.yaml"), Deployment.class);

    SentryServiceDeploymentTest() throws IOException {
    }

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = TestSupport.baseProperties("ops");
        p.put("sentry.api-url", "http://127.0.0.1:9/api/0");  // never reached: no token, dry-run
        p.put("sentry.auth-token", "");
        return p;
    }

    @Test
    void kustomizationResourcesParseAsKubernetesObjects() throws IOException {
        for (JsonNode name : KUBERNETES.readTree(new File("deploy/k8s/kustomization.yaml")).get("resources")) {
            HasMetadata object = KUBERNETES.readValue(Path.of("deploy/k8s").resolve(name.asText()).toFile(), HasMetadata.class);
            assertThat(object.getMetadata().getLabels()).containsEntry("app.kubernetes.io/name", "sentry-service");
        }
    }

    @Test
    void probePathsAnswerAndTheContainerPortIsTheOneTheServiceListensOn() throws IOException {
        var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(Files.readString(Path.of("src/main/resources/application.yml"))).contains("port: ${PORT:8084}");
        assertThat(container.getPorts().get(0).getContainerPort()).isEqualTo(8084);
        for (String path : new String[]{container.getLivenessProbe().getHttpGet().getPath(), container.getReadinessProbe().getHttpGet().getPath()}) {
            assertThat(TestSupport.send("GET", server.getURL() + path, null).statusCode()).as(path).isEqualTo(200);
        }
    }

    @Test
    void secretKeysAreWhatTheServiceReadsAndTheAuthTokenIsOptional() throws IOException {
        Map<String, EnvVar> fromSecret = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
            .filter(env -> env.getValueFrom() != null).collect(Collectors.toMap(EnvVar::getName, env -> env));
        assertThat(fromSecret).containsOnlyKeys("DATABASE_PASSWORD", "SERVICE_TOKENS", "SENTRY_AUTH_TOKEN");
        String config = Files.readString(Path.of("src/main/resources/application.yml"));
        fromSecret.forEach((name, env) -> {
            assertThat(config).contains("${" + name + ":}");
            assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo(name);
            assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("sentry-service-secrets");
            assertThat(env.getValueFrom().getSecretKeyRef().getOptional()).isEqualTo(name.equals("SENTRY_AUTH_TOKEN") ? Boolean.TRUE : null);
        });
    }

    @Test
    void imageUserMatchesTheRunAsUser() throws IOException {
        var context = deployment.getSpec().getTemplate().getSpec().getSecurityContext();
        assertThat(context.getRunAsNonRoot()).isTrue();
        assertThat(Files.readAllLines(Path.of("Dockerfile"))).contains("USER " + context.getRunAsUser() + ":" + context.getRunAsGroup(),
            "COPY --chown=10001:10001 target/" + System.getProperty("project.jar") + " /app/app.jar");
    }

    @Test
    void theOpenTelemetryAgentJoinsTheJvmOnlyWhenOtelTracesExporterNamesAnExporter() throws Exception {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        JsonNode entrypoint = new ObjectMapper().readTree(dockerfile.substring(dockerfile.indexOf("\nENTRYPOINT ") + 12).lines().findFirst().orElseThrow());
        assertThat(entrypoint.size()).isEqualTo(3);
        // a `java` first on PATH that prints one argument a line, then the entrypoint as the image runs it
        Path bin = Files.createTempDirectory("sentry-entrypoint");
        Files.writeString(bin.resolve("java"), "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
        assertThat(bin.resolve("java").toFile().setExecutable(true)).isTrue();
        String plain = "-jar\n/app/app.jar";
        assertThat(javaArgumentLines(entrypoint, bin, Map.of())).isEqualTo(plain);
        assertThat(javaArgumentLines(entrypoint, bin, Map.of("OTEL_TRACES_EXPORTER", "none"))).isEqualTo(plain);
        assertThat(javaArgumentLines(entrypoint, bin, Map.of("OTEL_TRACES_EXPORTER", "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")))
            .isEqualTo("-javaagent:/app/opentelemetry-javaagent.jar\n" + plain);
        assertThat(dockerfile).contains("--checksum=sha256:", "ADD --chown=10001:10001 ", "    /app/opentelemetry-javaagent.jar\n");
        Map<String, String> config = KUBERNETES.readValue(new File("deploy/k8s/configmap.yaml"), ConfigMap.class).getData();
        assertThat(config).containsEntry("OTEL_SERVICE_NAME", "sentry-service").doesNotContainKey("OTEL_TRACES_EXPORTER");
    }

    private static String javaArgumentLines(JsonNode entrypoint, Path bin, Map<String, String> otel) throws Exception {
        ProcessBuilder run = new ProcessBuilder(entrypoint.get(0).asText(), entrypoint.get(1).asText(), entrypoint.get(2).asText());
        run.environment().keySet().removeIf(name -> name.startsWith("OTEL_"));
        run.environment().putAll(otel);
        run.environment().put("PATH", bin + ":/usr/bin:/bin");
        Process process = run.redirectErrorStream(true).start();
        String lines = new String(process.getInputStream().readAllBytes()).strip();
        assertThat(process.waitFor()).as(lines).isZero();
        return lines;
    }

    @Test
    @StdIo
    void aNoteRequestLogsJsonLinesWithItsCorrelationId(StdOut out) throws IOException {
        assertThat(TestSupport.send("POST", server.getURL() + "/api/v1/sentry/issues/1234567890/notes", "{\"text\": \"hi\"}",
            "Authorization", "Bearer " + TestSupport.AGENT_TOKEN, "X-Correlation-Id", "sentry-note-9").statusCode()).isEqualTo(200);
        ObjectMapper json = new ObjectMapper();
        int withId = 0;
        for (String line : out.capturedLines()) {
            withId += "sentry-note-9".equals(json.readTree(line).path("correlation_id").asText()) ? 1 : 0;
        }
        assertThat(withId).isPositive();
    }
}
