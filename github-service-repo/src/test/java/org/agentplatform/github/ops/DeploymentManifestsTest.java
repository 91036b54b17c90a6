package org.agentplatform.github.ops;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.agentplatform.github.support.ServiceTestBase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/k8s, parsed with the Kubernetes model ({@link Manifests}), against the running service: the probes
 * answer on this service, ports agree with application.yml, secrets only by reference, resources and a hardened
 * securityContext are set, and the kustomization applies every manifest.
 */
@MicronautTest(transactional = false)
class DeploymentManifestsTest extends ServiceTestBase {

    private static final String NAME = "github-service";
    private static final String SECRET = "github-service-secrets";
    /** Names whose values are credentials: they may only come from a secretKeyRef. */
    private static final Pattern SECRETISH = Pattern.compile(".*(PASSWORD|TOKEN|SECRET|PRIVATE_KEY|API_KEY|DSN).*");
    /** The Secret keys without which the service must not start (documented in the README). */
    private static final Set<String> REQUIRED_SECRET_KEYS = Set.of("DATABASE_PASSWORD", "SERVICE_TOKENS");

    private final Manifests manifests = Manifests.load();

    // ---- what differs between service repos (the rest of this class is the same everywhere) ----

    /** One dry-run call through the API, so the outbound-call meter has a sample. */
    private Http.Answer dryRunCall(String... headers) {
        return Http.send(server, "POST", "/api/v1/github/pr/octo/hello/7/comment", "{\"comment\": \"metrics\"}",
            concat(headers, "Authorization", "Bearer " + AGENT_TOKEN));
    }

    /** The outbound-call meter of that dry-run call, as Prometheus shows it. */
    private static final String OUTBOUND_METER =
        "(?m)^github_calls_seconds_count\\{[^}]*operation=\"postPrComment\"[^}]*outcome=\"dry_run\"";

    // ---------------------------------------------------------------------------------------------

    @Test
    void kustomizationAppliesExactlyTheManifestsInTheFolder() {
        assertThat(manifests.kustomizationResources()).containsExactlyInAnyOrderElementsOf(manifests.byFile().keySet());
        assertThat(manifests.one(Service.class)).isNotNull();
        assertThat(manifests.one(ConfigMap.class)).isNotNull();
        assertThat(manifests.one(PodDisruptionBudget.class)).isNotNull();
        for (HasMetadata resource : manifests.byFile().values()) {
            assertThat(resource.getMetadata().getLabels()).as(resource.getKind()).containsEntry("app.kubernetes.io/name", NAME);
        }
    }

    @Test
    void selectorsOfDeploymentServiceAndBudgetMatchThePods() {
        Deployment deployment = manifests.deployment();
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(podLabels).containsAllEntriesOf(manifests.one(Service.class).getSpec().getSelector());
        PodDisruptionBudget budget = manifests.one(PodDisruptionBudget.class);
        assertThat(podLabels).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
        // a budget that allows no disruption would block every node drain
        assertThat(budget.getSpec().getMinAvailable().getIntVal()).isLessThan(deployment.getSpec().getReplicas());
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
            .as("rolling update keeps serving: new pods must be ready before old ones go").isZero();
    }

    @Test
    void portsAgreeWithTheApplicationAndTheService() {
        int appPort = Manifests.applicationDefaultPort();
        Container container = container();
        assertThat(container.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getContainerPort()).isEqualTo(appPort);
        });
        assertThat(env(container, "PORT")).isIn(null, String.valueOf(appPort));
        ServicePort servicePort = manifests.one(Service.class).getSpec().getPorts().get(0);
        assertThat(targets(servicePort.getTargetPort(), appPort)).as("Service targetPort").isTrue();
        Map<String, String> annotations = manifests.deployment().getSpec().getTemplate().getMetadata().getAnnotations();
        assertThat(annotations).containsEntry("prometheus.io/port", String.valueOf(appPort)).containsEntry("prometheus.io/path", "/prometheus");
    }

    @Test
    void scrapedPathServesOutboundCallMetricsByOperationAndOutcome() {
        String path = manifests.deployment().getSpec().getTemplate().getMetadata().getAnnotations().get("prometheus.io/path");
        Http.Answer call = dryRunCall();
        assertThat(call.status()).as(call.body()).isEqualTo(200);
        Http.Answer scrape = Http.get(server, path);
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.body()).containsPattern(OUTBOUND_METER);
    }

    @Test
    void probesUseHealthEndpointsThisServiceAnswers() {
        Container container = container();
        HTTPGetAction liveness = httpGet(container.getLivenessProbe(), "liveness");
        HTTPGetAction readiness = httpGet(container.getReadinessProbe(), "readiness");
        assertThat(liveness.getPath()).isEqualTo("/health/liveness");
        assertThat(readiness.getPath()).isEqualTo("/health/readiness");
        for (Probe probe : new Probe[]{container.getLivenessProbe(), container.getReadinessProbe(), container.getStartupProbe()}) {
            if (probe == null) {
                continue;
            }
            HTTPGetAction get = httpGet(probe, "probe");
            assertThat(targets(get.getPort(), Manifests.applicationDefaultPort())).as("probe port of %s", get.getPath()).isTrue();
            Http.Answer answer = Http.get(server, get.getPath());
            assertThat(answer.status()).as("GET %s on the running service: %s", get.getPath(), answer.body()).isEqualTo(200);
            assertThat(answer.json().path("status").asText()).isEqualTo("UP");
        }
        // readiness includes the database: no traffic to a pod that cannot reach PostgreSQL
        Http.Answer ready = Http.get(server, readiness.getPath());
        assertThat(ready.json().path("details").has("jdbc")).as(ready.body()).isTrue();
    }

    @Test
    void secretsOnlyByReferenceToTheDocumentedSecret() throws IOException {
        Container container = container();
        Set<String> secretKeys = new TreeSet<>();
        for (EnvVar var : container.getEnv()) {
            if (var.getValueFrom() != null && var.getValueFrom().getSecretKeyRef() != null) {
                assertThat(var.getValueFrom().getSecretKeyRef().getName()).isEqualTo(SECRET);
                assertThat(var.getValueFrom().getSecretKeyRef().getKey()).isEqualTo(var.getName());
                secretKeys.add(var.getName());
            } else {
                assertThat(var.getName()).as("a credential as a literal env value").doesNotMatch(SECRETISH);
            }
        }
        assertThat(secretKeys).containsAll(REQUIRED_SECRET_KEYS);
        assertThat(container.getEnv()).filteredOn(v -> REQUIRED_SECRET_KEYS.contains(v.getName()))
            .allSatisfy(v -> assertThat(v.getValueFrom().getSecretKeyRef().getOptional()).as(v.getName()).isNotEqualTo(Boolean.TRUE));
        ConfigMap config = manifests.one(ConfigMap.class);
        assertThat(container.getEnvFrom()).anySatisfy(from -> assertThat(from.getConfigMapRef().getName()).isEqualTo(config.getMetadata().getName()));
        assertThat(config.getData().keySet()).noneMatch(k -> SECRETISH.matcher(k).matches());
        assertThat(config.getData().values()).as("no credentials inside URLs").noneMatch(v -> v.matches(".*://[^/@\\s]+:[^/@\\s]+@.*"));
        // the operator learns the Secret's name and keys from the README
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme).contains(SECRET);
        secretKeys.forEach(key -> assertThat(readme).as("README documents Secret key %s", key).contains(key));
    }

    @Test
    void everyVariableSetIsOneTheServiceReads() throws IOException {
        Set<String> read = new TreeSet<>(Manifests.applicationEnvironmentVariables());
        Matcher logback = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):-").matcher(Files.readString(Path.of("src/main/resources/logback.xml")));
        while (logback.find()) {
            read.add(logback.group(1));
        }
        Set<String> set = new TreeSet<>(manifests.one(ConfigMap.class).getData().keySet());
        container().getEnv().forEach(v -> set.add(v.getName()));
        assertThat(read).as("variables of application.yml and logback.xml").containsAll(set);
    }

    @Test
    void resourcesAreBounded() {
        var resources = container().getResources();
        for (String r : List.of("cpu", "memory")) {
            Quantity request = resources.getRequests().get(r);
            Quantity limit = resources.getLimits().get(r);
            assertThat(request).as("request " + r).isNotNull();
            assertThat(limit).as("limit " + r).isNotNull();
            assertThat(limit.getNumericalAmount()).as(r).isGreaterThanOrEqualTo(request.getNumericalAmount());
        }
    }

    @Test
    void runsNonRootWithAReadOnlyRootFilesystemAndNoCapabilities() {
        PodSpec pod = manifests.deployment().getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
        Container container = container();
        var security = container.getSecurityContext();
        assertThat(security.getReadOnlyRootFilesystem()).isTrue();
        assertThat(security.getAllowPrivilegeEscalation()).isFalse();
        assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
        // the JVM needs a writable /tmp (hsperfdata, Netty native libraries)
        String tmpVolume = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp"))
            .map(m -> m.getName()).findFirst().orElseThrow(() -> new AssertionError("no /tmp mount"));
        Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(tmpVolume)).findFirst().orElseThrow();
        assertThat(volume.getEmptyDir()).isNotNull();
    }

    static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private Container container() {
        List<Container> containers = manifests.deployment().getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    private static String env(Container container, String name) {
        return container.getEnv().stream().filter(v -> v.getName().equals(name)).map(EnvVar::getValue)
            .filter(Objects::nonNull).collect(Collectors.collectingAndThen(Collectors.toList(), l -> l.isEmpty() ? null : l.get(0)));
    }

    private static HTTPGetAction httpGet(Probe probe, String what) {
        assertThat(probe).as(what + " probe").isNotNull();
        assertThat(probe.getHttpGet()).as(what + " probe httpGet").isNotNull();
        return probe.getHttpGet();
    }

    /** A port given by name must be the container's "http" port, by number the application's port. */
    private static boolean targets(IntOrString port, int appPort) {
        return port.getIntVal() != null ? port.getIntVal() == appPort : "http".equals(port.getStrVal());
    }
}
