package org.agentplatform.github;

import io.micronaut.runtime.Micronaut;

/** github-service: the only component of the platform that talks to the GitHub REST API. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
