package org.agentplatform.slack.web;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The callers allowed on {@code /api/v1/**}: {@code SERVICE_TOKENS} is a comma list of
 * {@code caller:token} pairs (docs/conventions.md of the contracts); two entries of one caller are
 * both valid (rotation). Empty: open mode, with a warning at start-up.
 */
@Singleton
public class ServiceTokens {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceTokens.class);

    private record Entry(String caller, byte[] token) {
    }

    private final List<Entry> entries;

    public ServiceTokens(@Value("${service.tokens:}") String configured) {
        List<Entry> parsed = new ArrayList<>();
        for (String item : configured.split(",")) {
            String trimmed = item.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int colon = trimmed.indexOf(':');
            String caller = colon > 0 ? trimmed.substring(0, colon).trim() : "anonymous";
            String token = colon >= 0 ? trimmed.substring(colon + 1).trim() : trimmed;
            if (!token.isEmpty()) {
                parsed.add(new Entry(caller, token.getBytes(StandardCharsets.UTF_8)));
            }
        }
        this.entries = List.copyOf(parsed);
    }

    public boolean openMode() {
        return entries.isEmpty();
    }

    /** The caller a token belongs to; compares every entry in constant time. */
    public Optional<String> callerOf(String token) {
        byte[] given = token.getBytes(StandardCharsets.UTF_8);
        String found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.token(), given) && found == null) {
                found = entry.caller();
            }
        }
        return Optional.ofNullable(found);
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (openMode()) {
            LOG.warn("SERVICE_TOKENS is empty: /api/v1/** is open to anyone who can reach this port (local development only)");
        } else {
            LOG.info("Service-token check on /api/v1/**: {} token(s) configured", entries.size());
        }
    }
}
