package org.agentplatform.agent;

import io.micronaut.runtime.Micronaut;

/** The agent: workers that consume the task queue, and the agent API, in one process. */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(Application.class).banner(false).start();
    }
}
