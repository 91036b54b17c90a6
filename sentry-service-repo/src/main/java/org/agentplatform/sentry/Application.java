package org.agentplatform.sentry;

import io.micronaut.runtime.Micronaut;

/** sentry-service: the only component of the agent platform that talks to the Sentry API. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).banner(false).start();
    }
}
