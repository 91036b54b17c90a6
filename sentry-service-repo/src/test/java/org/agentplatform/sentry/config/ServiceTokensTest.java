package org.agentplatform.sentry.config;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceTokensTest {

    @Test
    void callerTokenPairsWithRotation() {
        ServiceTokens tokens = new ServiceTokens(" gateway:s3cr3t, agent:0th3r ,agent:n3w ");
        assertFalse(tokens.isOpen());
        assertEquals(Optional.of("gateway"), tokens.callerOf("s3cr3t"));
        assertEquals(Optional.of("agent"), tokens.callerOf("0th3r"));
        assertEquals(Optional.of("agent"), tokens.callerOf("n3w"));
        assertEquals(Optional.empty(), tokens.callerOf("s3cr3"));
        assertEquals(Optional.empty(), tokens.callerOf("gateway:s3cr3t"));
        assertEquals(Optional.empty(), tokens.callerOf(""));
        assertEquals(Optional.empty(), tokens.callerOf(null));
    }

    @Test
    void emptyMeansOpen() {
        assertTrue(new ServiceTokens("").isOpen());
        assertTrue(new ServiceTokens(null).isOpen());
        assertTrue(new ServiceTokens(" , ").isOpen());
    }

    @Test
    void tokenMayContainColons() {
        assertEquals(Optional.of("dashboard"), new ServiceTokens("dashboard:a:b:c").callerOf("a:b:c"));
    }
}
