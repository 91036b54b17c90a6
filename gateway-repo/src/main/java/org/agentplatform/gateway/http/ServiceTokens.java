package org.agentplatform.gateway.http;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The tokens this service accepts on {@code /api/v1/**}: {@code SERVICE_TOKENS}, a comma list of
 * {@code caller:token} pairs (two entries for one caller are both valid, for rotation). Empty means
 * open mode (local development only), announced with a WARN at start-up.
 */
@Context
public class ServiceTokens {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceTokens.class);

    private record Entry(String caller, byte[] token) {
    }

    private final List<Entry> entries = new ArrayList<>();

    public ServiceTokens(@Value("${gateway.auth.service-tokens:}") @Nullable String serviceTokens) {
        if (serviceTokens != null) {
            for (String pair : serviceTokens.split(",")) {
                String p = pair.trim();
                if (p.isEmpty()) {
                    continue;
                }
                int colon = p.indexOf(':');
                if (colon <= 0 || colon == p.length() - 1) {
                    throw new IllegalArgumentException("SERVICE_TOKENS entries must be caller:token pairs");
                }
                entries.add(new Entry(p.substring(0, colon).trim(),
                        p.substring(colon + 1).trim().getBytes(StandardCharsets.UTF_8)));
            }
        }
        if (entries.isEmpty()) {
            LOG.warn("SERVICE_TOKENS is empty: /api/v1/** is OPEN to anyone (local development only)");
        } else {
            LOG.info("/api/v1/** accepts the service tokens of {} caller entr(y/ies)", entries.size());
        }
    }

    public boolean isOpen() {
        return entries.isEmpty();
    }

    /** The caller a bearer token belongs to; every entry is compared in constant time. */
    public Optional<String> callerOf(@Nullable String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        byte[] presented = token.getBytes(StandardCharsets.UTF_8);
        String found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.token(), presented) && found == null) {
                found = e.caller();
            }
        }
        return Optional.ofNullable(found);
    }
}
