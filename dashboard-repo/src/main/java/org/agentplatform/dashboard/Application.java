package org.agentplatform.dashboard;

import io.micronaut.runtime.Micronaut;

/** The dashboard service: API, live events WebSocket and the web page on one port (8085). */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
