package org.agentplatform.slack;

import io.micronaut.runtime.Micronaut;

/** slack-service: the platform's only door to Slack (see README.md). */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
