package org.agentplatform.jira;

import io.micronaut.runtime.Micronaut;

/** jira-service: the only component of the agent platform that talks to Jira Cloud REST v3. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
