package org.agentplatform.contracts;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The breaking-change gate against the released baseline {@code org.agentplatform:contracts:${contracts.baseline.version}}
 * from {@code ${contracts.release.repo}} (never from ~/.m2/repository: a local install of this working copy would
 * overwrite it). Settings come from the pom through surefire's system properties.
 */
class BreakingChangeGateTest {

    @Test
    void noBreakingChangeSinceTheBaselineRelease() throws Exception {
        assumeFalse(Boolean.getBoolean("contracts.gate.skip"), "breaking-change gate skipped (-Dcontracts.gate.skip=true)");
        String baseline = property("contracts.baseline.version");
        String repo = property("contracts.release.repo");
        String version = property("project.version");
        Path workDir = Path.of(System.getProperty("contracts.baseline.workdir", "target/contracts-baseline"));

        Optional<Path> released = CompatibilityGate.fetchBaseline(repo, baseline, workDir);
        if (released.isEmpty()) {
            String warning = "BREAKING-CHANGE GATE SKIPPED: no baseline org.agentplatform:contracts:" + baseline
                    + " at " + CompatibilityGate.jarUri(repo, baseline) + " (contracts.release.repo=" + repo + ")."
                    + " Publish the release first with ./meta.sh publish-contracts (or: mvn deploy"
                    + " -Dcontracts.gate.skip=true -Dcontracts.release.repo=" + repo + "), or point"
                    + " -Dcontracts.release.repo / contracts.baseline.version at an existing release.";
            System.err.println("\n" + "!".repeat(100) + "\n[WARNING] " + warning + "\n" + "!".repeat(100) + "\n");
            abort(warning);
        }

        List<String> breaking = CompatibilityGate.breakingChanges(released.get(), Contracts.root());
        Optional<String> failure = CompatibilityGate.verdict(breaking, baseline, version);
        if (failure.isPresent()) {
            fail(failure.get());
        }
        System.out.println("[INFO] contracts gate: " + (breaking.isEmpty()
                ? "no breaking change since " + baseline
                : breaking.size() + " breaking change(s) since " + baseline + " allowed by the new major version "
                        + version + ":\n  - " + String.join("\n  - ", breaking)));
    }

    /**
     * A released version is immutable: if {@code ${project.version}} is already in the release repository, the
     * working copy must hold exactly its contract files (so a re-deploy changes nothing); otherwise bump the version.
     */
    @Test
    void aReleasedVersionIsNeverChanged() throws Exception {
        assumeFalse(Boolean.getBoolean("contracts.gate.skip"), "breaking-change gate skipped (-Dcontracts.gate.skip=true)");
        String version = property("project.version");
        Path workDir = Path.of(System.getProperty("contracts.baseline.workdir", "target/contracts-baseline"), "self");
        Optional<Path> released = CompatibilityGate.fetchBaseline(property("contracts.release.repo"), version, workDir);
        assumeFalse(released.isEmpty(), "org.agentplatform:contracts:" + version + " is not released yet");
        List<String> differences = CompatibilityGate.differentFiles(released.get(), Contracts.root());
        if (!differences.isEmpty()) {
            fail("org.agentplatform:contracts:" + version + " is already released, and these contract files differ from it:\n  - "
                    + String.join("\n  - ", differences) + "\nA released version never changes: bump <version> in pom.xml"
                    + " (minor for additions, major for breaking changes) and add a CHANGELOG.md entry.");
        }
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank() || value.contains("${")) {
            fail("system property " + name + " is not set: run the tests through Maven (surefire passes it from pom.xml)");
        }
        return value;
    }
}
