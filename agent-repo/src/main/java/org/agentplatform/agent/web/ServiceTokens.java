package org.agentplatform.agent.web;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.annotation.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The tokens this service accepts ({@code SERVICE_TOKENS}: {@code caller:token,…}; two entries for
 * one caller are both valid, for rotation). Empty: open mode, with a warning at start-up.
 */
@Context   // created at start-up, so open mode is announced then
public class ServiceTokens {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceTokens.class);

    private record Entry(String caller, byte[] token) {}

    private final List<Entry> entries = new ArrayList<>();

    public ServiceTokens(@Value("${agent.service-tokens:}") String spec) {
        if (spec != null) {
            for (String part : spec.split(",")) {
                String p = part.trim();
                int colon = p.indexOf(':');
                if (colon > 0 && colon < p.length() - 1) {
                    entries.add(new Entry(p.substring(0, colon).trim(), p.substring(colon + 1).trim().getBytes(StandardCharsets.UTF_8)));
                } else if (!p.isEmpty()) {
                    LOG.warn("SERVICE_TOKENS: ignoring an entry without 'caller:token' form");
                }
            }
        }
        if (entries.isEmpty()) {
            LOG.warn("SERVICE_TOKENS is empty: /api/v1/** is OPEN to anyone (local development only)");
        } else {
            LOG.info("/api/v1/** accepts the service tokens of: {}",
                    String.join(", ", entries.stream().map(Entry::caller).distinct().toList()));
        }
    }

    public boolean open() {
        return entries.isEmpty();
    }

    /** The caller owning this token, comparing in constant time against every entry. */
    public Optional<String> callerOf(String token) {
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
}
