package org.agentplatform.dashboard.auth;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard's users, from configuration only: {@code DASHBOARD_USERS=name:{bcrypt}hash,...}
 * and/or {@code DASHBOARD_ADMIN_PASSWORD} (a single {@code admin}, hashed here at start so the
 * plain password is not kept). No plain-text passwords are accepted in {@code DASHBOARD_USERS}.
 */
@Singleton
public class Users {
    private static final Logger LOG = LoggerFactory.getLogger(Users.class);

    private final Map<String, String> hashes;

    public Users(@Value("${dashboard.users:}") @Nullable String users,
                 @Value("${dashboard.admin-password:}") @Nullable String adminPassword) {
        this.hashes = parse(users);
        if (adminPassword != null && !adminPassword.isBlank()) {
            hashes.putIfAbsent("admin", Passwords.hash(adminPassword));
        }
        if (hashes.isEmpty()) {
            LOG.warn("No dashboard users configured (DASHBOARD_USERS / DASHBOARD_ADMIN_PASSWORD): nobody can log in");
        } else {
            LOG.info("Dashboard users: {}", hashes.keySet());
        }
    }

    /** Parses {@code name:{bcrypt}hash} entries separated by commas; a malformed entry stops the start. */
    static Map<String, String> parse(@Nullable String spec) {
        Map<String, String> out = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String entry : spec.split(",")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            int colon = e.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("DASHBOARD_USERS entry without 'name:' prefix (entry " + (out.size() + 1) + ")");
            }
            String name = e.substring(0, colon).trim();
            String hash = e.substring(colon + 1).trim();
            if (hash.startsWith("{bcrypt}")) {
                hash = hash.substring("{bcrypt}".length());
            }
            if (!Passwords.looksLikeBcrypt(hash)) {
                // never echo the value: it might be a plain password typed by mistake
                throw new IllegalArgumentException("DASHBOARD_USERS entry for '" + name
                        + "' is not a bcrypt hash ({bcrypt}$2a$..., $2b$... or $2y$...)");
            }
            out.put(name, hash);
        }
        return out;
    }

    /** The user name when the password is right. */
    public Optional<String> authenticate(String username, String password) {
        String hash = hashes.get(username);
        return Passwords.matches(password, hash) ? Optional.of(username) : Optional.empty();
    }
}
