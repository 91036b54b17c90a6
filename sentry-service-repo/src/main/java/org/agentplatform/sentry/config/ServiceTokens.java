package org.agentplatform.sentry.config;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The service tokens accepted on {@code /api/v1/**}: {@code SERVICE_TOKENS} is a comma list of
 * {@code caller:token} pairs (two entries for one caller are both valid, for rotation). Empty means
 * open mode (local development only), announced with a WARN at start-up.
 */
@Singleton
public class ServiceTokens implements ApplicationEventListener<StartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceTokens.class);

    private record Entry(String caller, byte[] token) {
    }

    private final List<Entry> entries = new ArrayList<>();

    public ServiceTokens(@Value("${service.tokens:}") @Nullable String tokens) {
        if (tokens != null) {
            for (String raw : tokens.split(",")) {
                String pair = raw.trim();
                if (pair.isEmpty()) {
                    continue;
                }
                int colon = pair.indexOf(':');
                String caller = colon > 0 ? pair.substring(0, colon).trim() : "unnamed";
                String token = colon >= 0 ? pair.substring(colon + 1).trim() : pair;
                if (!token.isEmpty()) {
                    entries.add(new Entry(caller, token.getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
    }

    public boolean isOpen() {
        return entries.isEmpty();
    }

    /** The caller owning this token; compares against every entry in constant time. */
    public Optional<String> callerOf(@Nullable String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        byte[] given = token.getBytes(StandardCharsets.UTF_8);
        String found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.token(), given) && found == null) {
                found = e.caller();
            }
        }
        return Optional.ofNullable(found);
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        if (isOpen()) {
            LOG.warn("SERVICE_TOKENS is empty: /api/v1/** is open to any caller (local development only)");
        } else {
            LOG.info("Service-token auth on /api/v1/** for {} token(s)", entries.size());
        }
    }
}
