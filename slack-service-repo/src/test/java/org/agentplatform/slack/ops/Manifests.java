package org.agentplatform.slack.ops;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * deploy/k8s read with the fabric8 Kubernetes model (the typed API objects of the Kubernetes API, generated
 * from its OpenAPI schema). The model keeps unknown fields in {@code additionalProperties} instead of failing,
 * so every parsed object is walked and any unknown field (a typo such as {@code readinesProbe}) is an error.
 */
record Manifests(Map<String, HasMetadata> byFile, List<String> kustomizationResources) {

    static final Path DIR = Path.of("deploy/k8s");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** The kinds a service repo ships; anything else is a mistake (a Secret with values above all). */
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
        "apps/v1/Deployment", Deployment.class,
        "v1/Service", Service.class,
        "v1/ConfigMap", ConfigMap.class,
        "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class);

    static Manifests load() {
        try {
            JsonNode kustomization = YAML.readTree(DIR.resolve("kustomization.yaml").toFile());
            List<String> resources = new ArrayList<>();
            kustomization.path("resources").forEach(r -> resources.add(r.asText()));
            Map<String, HasMetadata> byFile = new LinkedHashMap<>();
            try (Stream<Path> files = Files.list(DIR)) {
                for (Path file : files.sorted().toList()) {
                    String name = file.getFileName().toString();
                    if (!name.endsWith(".yaml") || name.equals("kustomization.yaml")) {
                        continue;
                    }
                    JsonNode tree = YAML.readTree(file.toFile());
                    String kind = tree.path("apiVersion").asText() + "/" + tree.path("kind").asText();
                    Class<? extends HasMetadata> type = KINDS.get(kind);
                    if (type == null) {
                        throw new AssertionError(name + ": unexpected kind " + kind + " (allowed: " + KINDS.keySet() + ")");
                    }
                    HasMetadata parsed = YAML.treeToValue(tree, type);
                    List<String> unknown = new ArrayList<>();
                    unknownFields(parsed, kind, unknown, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
                    if (!unknown.isEmpty()) {
                        throw new AssertionError(name + ": fields the Kubernetes API does not know: " + unknown);
                    }
                    byFile.put(name, parsed);
                }
            }
            return new Manifests(byFile, resources);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return byFile.values().stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type) {
        List<T> all = all(type);
        if (all.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + ", found " + all.size());
        }
        return all.get(0);
    }

    Deployment deployment() {
        return one(Deployment.class);
    }

    /** The port application.yml listens on when PORT is not set. */
    static int applicationDefaultPort() {
        try {
            Matcher m = Pattern.compile("port:\\s*\\$\\{PORT:(\\d+)}").matcher(Files.readString(Path.of("src/main/resources/application.yml")));
            if (!m.find()) {
                throw new AssertionError("application.yml: micronaut.server.port: ${PORT:<default>} not found");
            }
            return Integer.parseInt(m.group(1));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every environment variable application.yml reads ({@code ${NAME:default}} or {@code ${NAME}}). */
    static Set<String> applicationEnvironmentVariables() {
        try {
            Matcher m = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]").matcher(Files.readString(Path.of("src/main/resources/application.yml")));
            Set<String> names = new java.util.TreeSet<>();
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Walks the model's getters; a non-empty {@code getAdditionalProperties()} means a field the schema lacks. */
    private static void unknownFields(Object node, String path, List<String> unknown, Set<Object> seen) {
        if (node == null || !node.getClass().getName().startsWith("io.fabric8.") || !seen.add(node)) {
            if (node instanceof Collection<?> c) {
                int i = 0;
                for (Object o : c) {
                    unknownFields(o, path + "[" + i++ + "]", unknown, seen);
                }
            } else if (node instanceof Map<?, ?> m) {
                m.forEach((k, v) -> unknownFields(v, path + "." + k, unknown, seen));
            }
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            String field = path + "." + Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> unknown.add(path + "." + k));
                }
                continue;
            }
            unknownFields(value, field, unknown, seen);
        }
    }

}
