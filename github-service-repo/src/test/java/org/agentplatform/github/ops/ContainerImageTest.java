package org.agentplatform.github.ops;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Dockerfile cannot be built here (no Docker daemon), so its contract with the build and the manifests is
 * checked instead: exact base tag, numeric non-root user matching the pod securityContext, the jar that
 * {@code mvn package} really produces, the port the application listens on, exec-form entrypoint, and a
 * .dockerignore that lets exactly that jar into the build context. No maintained Dockerfile parser exists on
 * Maven Central, hence the small line parser ({@link Dockerfile}).
 */
class ContainerImageTest {

    private final Dockerfile dockerfile = Dockerfile.read(Path.of("Dockerfile"));

    @Test
    void baseImageIsTemurin17JrePinnedToAnExactRelease() {
        List<String> from = dockerfile.args("FROM");
        assertThat(from).hasSize(1);
        // 17.0.<update>_<build>-jre (optionally @sha256:...): never latest, never the floating 17-jre
        assertThat(from.get(0)).matches("eclipse-temurin:17\\.0\\.\\d+_\\d+-jre(-[a-z]+)?(@sha256:[0-9a-f]{64})?");
    }

    @Test
    void runsAsTheNumericNonRootUserThePodExpects() {
        String user = dockerfile.last("USER");
        assertThat(user).as("numeric uid[:gid], so runAsNonRoot can verify it").matches("\\d+(:\\d+)?");
        String uid = user.split(":")[0];
        assertThat(Integer.parseInt(uid)).isGreaterThan(0);
        assertThat(Manifests.load().deployment().getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser())
            .isEqualTo(Long.parseLong(uid));
        // USER must come after the RUN that creates it and before the entrypoint runs anything
        assertThat(dockerfile.indexOf("USER")).isGreaterThan(dockerfile.lastIndexOf("RUN"));
    }

    @Test
    void copiesTheJarThatMavenPackageBuilds() {
        String jar = System.getProperty("project.jar");
        assertThat(jar).as("set by surefire from ${project.build.finalName}").isNotBlank();
        // padded so that the jar must be a whole argument, not a prefix of another name
        assertThat(dockerfile.args("COPY")).anySatisfy(copy -> assertThat(" " + copy + " ").contains(" target/" + jar + " "));
        List<String> entrypoint = dockerfile.args("ENTRYPOINT");
        assertThat(entrypoint).hasSize(1);
        assertThat(entrypoint.get(0)).as("exec form: java is PID 1 and gets SIGTERM").startsWith("[\"java\"").contains("-jar");
    }

    @Test
    void exposesTheApplicationsDefaultPort() {
        assertThat(dockerfile.args("EXPOSE")).containsExactly(String.valueOf(Manifests.applicationDefaultPort()));
    }

    @Test
    void jvmIsContainerAware() {
        assertThat(dockerfile.args("ENV")).anySatisfy(env -> assertThat(env)
            .contains("JAVA_TOOL_OPTIONS=").contains("-XX:MaxRAMPercentage=").contains("-XX:+ExitOnOutOfMemoryError"));
    }

    @Test
    void dockerignoreLetsOnlyTheJarIntoTheContext() throws IOException {
        List<String> lines = Files.readAllLines(Path.of(".dockerignore")).stream()
            .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(lines.get(0)).isEqualTo("*");
        assertThat(lines).contains("!target/" + System.getProperty("project.jar"));
    }

    /** Instructions of a Dockerfile: comments dropped, backslash continuations joined. */
    record Dockerfile(List<String[]> instructions) {

        private static final Pattern INSTRUCTION = Pattern.compile("^([A-Za-z]+)\\s+(.*)$");

        static Dockerfile read(Path path) {
            List<String[]> out = new ArrayList<>();
            StringBuilder pending = new StringBuilder();
            try {
                for (String raw : Files.readAllLines(path)) {
                    String line = raw.strip();
                    if (line.startsWith("#") || (line.isEmpty() && pending.isEmpty())) {
                        continue;
                    }
                    if (line.endsWith("\\")) {
                        pending.append(line, 0, line.length() - 1).append(' ');
                        continue;
                    }
                    pending.append(line);
                    Matcher m = INSTRUCTION.matcher(pending.toString().strip());
                    assertThat(m.matches()).as("Dockerfile line: %s", pending).isTrue();
                    out.add(new String[]{m.group(1).toUpperCase(), m.group(2).replaceAll("\\s+", " ").strip()});
                    pending.setLength(0);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            assertThat(pending).as("unterminated continuation").isEmpty();
            return new Dockerfile(out);
        }

        List<String> args(String keyword) {
            return instructions.stream().filter(i -> i[0].equals(keyword)).map(i -> i[1]).toList();
        }

        String last(String keyword) {
            List<String> all = args(keyword);
            assertThat(all).as(keyword).isNotEmpty();
            return all.get(all.size() - 1);
        }

        int indexOf(String keyword) {
            for (int i = 0; i < instructions.size(); i++) {
                if (instructions.get(i)[0].equals(keyword)) {
                    return i;
                }
            }
            return -1;
        }

        int lastIndexOf(String keyword) {
            int found = -1;
            for (int i = 0; i < instructions.size(); i++) {
                if (instructions.get(i)[0].equals(keyword)) {
                    found = i;
                }
            }
            return found;
        }
    }
}
