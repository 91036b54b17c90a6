package org.agentplatform.jira.vendor;

import java.time.Duration;

import jakarta.inject.Singleton;

/** Waits between retries (a bean so that tests could observe the waits). */
@Singleton
public class Sleeper {

    public void sleep(Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JiraUnreachableException("interrupted while waiting to retry", 0, 0);
        }
    }
}
