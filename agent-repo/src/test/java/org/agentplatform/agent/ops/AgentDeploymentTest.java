package org.agentplatform.agent.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.agentplatform.agent.queue.TaskStreams;
import org.agentplatform.agent.support.Await;
import org.agentplatform.agent.support.Messages;
import org.agentplatform.agent.support.Redis;
import org.agentplatform.agent.support.TestInfra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junitpioneer.jupiter.StdIo;
import org.junitpioneer.jupiter.StdOut;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent's image, deploy/k8s and its KEDA scaling against the running agent, in the surefire execution "ops"
 * (production logback.xml, LOG_FORMAT=json). Kubernetes objects are read by the fabric8 model without its
 * any-setter (an unknown field fails); the KEDA CRDs, which it does not know, by the fields the scaling relies on.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentDeploymentTest implements TestPropertyProvider {

    private static final ObjectMapper KUBERNETES = new ObjectMapper(new YAMLFactory()).setAnnotationIntrospector(
        new JacksonAnnotationIntrospector() { @Override public Boolean hasAnySetter(Annotated member) { return false; } });

    @Inject
    @Client("/")
    HttpClient http;

    private final Deployment deployment = KUBERNETES.readValue(new File("deploy/k8s/deployment.yaml"), Deployment.class);
    private final Container agent = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);

    AgentDeploymentTest() throws IOException {
    }

    @Override
    public Map<String, String> getProperties() {
        return TestInfra.properties();  // workers on, dry-run runner
    }

    @Test
    void kustomizationResourcesAreKubernetesObjectsOfTheAgent() throws IOException {
        for (JsonNode file : KUBERNETES.readTree(new File("deploy/k8s/kustomization.yaml")).get("resources")) {
            assertThat(KUBERNETES.readValue(new File("deploy/k8s", file.asText()), HasMetadata.class).getMetadata().getName()).startsWith("agent");
        }
    }

    @Test
    void kedaScalesTheAgentOnTheLagOfItsConsumerGroupOnEveryPriorityStream() throws IOException {
        JsonNode scaled = KUBERNETES.readTree(new File("deploy/k8s/keda/scaledobject.yaml"));
        JsonNode auth = KUBERNETES.readTree(new File("deploy/k8s/keda/triggerauthentication.yaml"));
        assertThat(scaled.path("apiVersion").asText() + " " + scaled.path("kind").asText()).isEqualTo("keda.sh/v1alpha1 ScaledObject");
        assertThat(scaled.path("spec").path("scaleTargetRef").path("name").asText()).isEqualTo(deployment.getMetadata().getName());
        assertThat(scaled.path("spec").path("minReplicaCount").asInt()).isOne();
        assertThat(deployment.getSpec().getReplicas()).as("the count belongs to KEDA").isNull();
        List<String> streams = new ArrayList<>();
        for (JsonNode trigger : scaled.path("spec").path("triggers")) {
            assertThat(trigger.path("type").asText()).isEqualTo("redis-streams");
            assertThat(trigger.path("metadata").path("consumerGroup").asText()).isEqualTo(TaskStreams.GROUP);
            assertThat(trigger.path("metadata").path("lagCount").asInt()).isPositive();
            assertThat(trigger.path("authenticationRef").path("name").asText()).isEqualTo(auth.path("metadata").path("name").asText());
            streams.add(trigger.path("metadata").path("stream").asText());
        }
        assertThat(streams).containsExactlyElementsOf(TaskStreams.BY_PRIORITY_DESC);
        assertThat(auth.path("spec").path("secretTargetRef").get(0).path("name").asText()).isEqualTo("agent-secrets");
    }

    @Test
    void probesAnswerOnTheRunningAgentAndReadinessCoversPostgresAndRedis() throws IOException {
        assertThat(Files.readString(Path.of("src/main/resources/application.yml"))).contains("port: ${PORT:" + agent.getPorts().get(0).getContainerPort() + "}");
        assertThat(http.toBlocking().retrieve(agent.getLivenessProbe().getHttpGet().getPath())).contains("UP");
        assertThat(http.toBlocking().retrieve(agent.getStartupProbe().getHttpGet().getPath())).contains("UP");
        assertThat(http.toBlocking().retrieve(agent.getReadinessProbe().getHttpGet().getPath())).contains("\"jdbc\"", "\"redis\"");
    }

    @Test
    void secretKeysAreTheCredentialsTheAgentReadsAndOnlyTheOpenAiKeyIsOptional() throws IOException {
        String applicationYml = Files.readString(Path.of("src/main/resources/application.yml"));
        Map<String, Boolean> fromSecret = agent.getEnv().stream().filter(env -> env.getValueFrom() != null)
            .collect(Collectors.toMap(EnvVar::getName, env -> Boolean.TRUE.equals(env.getValueFrom().getSecretKeyRef().getOptional())));
        assertThat(fromSecret).isEqualTo(Map.of("DATABASE_PASSWORD", false, "REDIS_URL", false, "SERVICE_TOKEN", false,
            "SERVICE_TOKENS", false, "OPENAI_API_KEY", true));
        fromSecret.keySet().forEach(name -> assertThat(applicationYml).contains("${" + name + ":"));
        assertThat(agent.getEnv()).filteredOn(env -> env.getValueFrom() != null).allSatisfy(env -> assertThat(env.getValueFrom().getSecretKeyRef())
            .satisfies(ref -> assertThat(ref.getName() + "/" + ref.getKey()).isEqualTo("agent-secrets/" + env.getName())));
    }

    @Test
    void imageRunsTheBuiltJarAsThePodsUser() throws IOException {
        var security = deployment.getSpec().getTemplate().getSpec().getSecurityContext();
        assertThat(security.getRunAsNonRoot()).isTrue();
        assertThat(Files.readAllLines(Path.of("Dockerfile"))).contains("USER " + security.getRunAsUser() + ":" + security.getRunAsGroup(),
            "EXPOSE 8090", "COPY --chown=10001:10001 target/" + System.getProperty("project.jar") + " /app/app.jar");
    }

    @Test
    void theImageStartsTheAgentWithTheOpenTelemetryJavaAgentOnlyWhenATracesExporterIsNamed() throws Exception {
        List<String> dockerfile = Files.readAllLines(Path.of("Dockerfile"));
        List<String> entrypoint = new ArrayList<>();
        dockerfile.stream().filter(line -> line.startsWith("ENTRYPOINT [")).forEach(line -> {
            try {
                new ObjectMapper().readTree(line.substring(line.indexOf('['))).forEach(word -> entrypoint.add(word.asText()));
            } catch (IOException e) {
                throw new AssertionError(line, e);
            }
        });
        assertThat(entrypoint).hasSize(3).startsWith("/bin/sh", "-c");
        Path fake = Files.createTempDirectory("agent-path");
        Files.writeString(fake.resolve("java"), "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
        assertThat(fake.resolve("java").toFile().setExecutable(true)).isTrue();
        List<List<String>> started = new ArrayList<>();
        for (String exporter : new String[]{null, "none", "otlp"}) {
            started.add(javaArgs(entrypoint, fake, exporter));
        }
        assertThat(started).containsExactly(List.of("-jar", "/app/app.jar"), List.of("-jar", "/app/app.jar"),
            List.of("-javaagent:/app/opentelemetry-javaagent.jar", "-jar", "/app/app.jar"));
        assertThat(dockerfile).anyMatch(line -> line.matches("ADD --chown=10001:10001 --checksum=sha256:[0-9a-f]{64} \\\\"))
            .contains("    /app/opentelemetry-javaagent.jar");
        assertThat(KUBERNETES.readTree(new File("deploy/k8s/configmap.yaml")).path("data").path("OTEL_SERVICE_NAME").asText()).isEqualTo("agent");
    }

    private static List<String> javaArgs(List<String> entrypoint, Path fake, String exporter) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(entrypoint);
        Map<String, String> env = builder.environment();
        env.remove("OTEL_TRACES_EXPORTER");
        env.put("PATH", fake + ":/usr/bin:/bin");
        if (exporter != null) {
            env.put("OTEL_TRACES_EXPORTER", exporter);
        }
        Process sh = builder.redirectErrorStream(true).start();
        List<String> args = new String(sh.getInputStream().readAllBytes()).lines().toList();
        assertThat(sh.waitFor()).as(String.join("\n", args)).isZero();
        return args;
    }

    @Test
    @StdIo
    void aTaskIsLoggedAsJsonWithItsCorrelationAndTaskId(StdOut out) throws IOException {
        String id = Messages.newId();
        Redis.enqueue(Messages.api(id, "log me", 0), 0);
        Await.until("a log line of the task", () -> String.join("\n", out.capturedLines()).contains("corr-" + id));
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> ofTheTask = new ArrayList<>();
        for (String line : out.capturedLines()) {
            JsonNode fields = json.readTree(line);
            if (fields.path("correlation_id").asText().equals("corr-" + id)) {
                ofTheTask.add(fields);
            }
        }
        assertThat(ofTheTask).isNotEmpty().allSatisfy(line -> assertThat(line.path("task_id").asText() + " " + line.path("service").asText())
            .isEqualTo(id + " agent"));
    }
}
