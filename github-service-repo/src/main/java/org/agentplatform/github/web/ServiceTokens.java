package org.agentplatform.github.web;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The service tokens this service accepts: {@code SERVICE_TOKENS}, a comma list of {@code caller:token}
 * pairs (two entries for one caller are both valid, for rotation). Empty: open mode (local development).
 * Tokens are compared in constant time on their SHA-256 digests.
 */
@Singleton
public class ServiceTokens {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceTokens.class);

    private record Entry(String caller, byte[] digest) {
    }

    private final List<Entry> entries;

    public ServiceTokens(@Value("${service.tokens:}") @Nullable String spec) {
        this.entries = parse(spec);
    }

    static List<Entry> parse(@Nullable String spec) {
        List<Entry> result = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            return result;
        }
        String[] items = spec.split(",");
        for (int i = 0; i < items.length; i++) {
            String item = items[i].trim();
            if (item.isEmpty()) {
                continue;
            }
            int colon = item.indexOf(':');
            if (colon <= 0 || colon == item.length() - 1) {
                throw new IllegalArgumentException("SERVICE_TOKENS entry " + (i + 1)
                    + " is not of the form caller:token (the list is comma separated, e.g. gateway:s3cr3t,agent:0th3r)");
            }
            result.add(new Entry(item.substring(0, colon).trim(), sha256(item.substring(colon + 1).trim())));
        }
        return List.copyOf(result);
    }

    /** True when no tokens are configured: every caller is let in. */
    public boolean open() {
        return entries.isEmpty();
    }

    /** The caller whose token this is, if it is one of ours. Looks at every entry, whatever matches. */
    public Optional<String> callerOf(@Nullable String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        byte[] digest = sha256(token);
        String caller = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest(), digest) && caller == null) {
                caller = entry.caller();
            }
        }
        return Optional.ofNullable(caller);
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (open()) {
            LOG.warn("SERVICE_TOKENS is empty: /api/v1/** is open to every caller. Use this for local development only.");
        } else {
            LOG.info("Service tokens configured for callers {}", entries.stream().map(Entry::caller).distinct().toList());
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
