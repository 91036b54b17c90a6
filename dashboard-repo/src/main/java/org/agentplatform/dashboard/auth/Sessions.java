package org.agentplatform.dashboard.auth;

import io.micronaut.context.annotation.Value;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/** Creates, finds and ends login sessions (stored in the dashboard's own database). */
@Singleton
public class Sessions {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SessionRepository repository;
    private final Duration ttl;
    private final Clock clock;

    public Sessions(SessionRepository repository, @Value("${dashboard.session-ttl:12h}") Duration ttl) {
        this.repository = repository;
        this.ttl = ttl;
        this.clock = Clock.systemUTC();
    }

    /** A new session; returns the cookie value (only its hash is stored) and the row. */
    public Created create(String username) {
        String id = token(32);
        Instant now = clock.instant();
        SessionRow row = new SessionRow(hash(id), username, token(24), now, now.plus(ttl));
        repository.save(row);
        return new Created(id, row);
    }

    public Optional<SessionRow> find(String cookieValue) {
        if (cookieValue == null || cookieValue.isBlank() || cookieValue.length() > 200) {
            return Optional.empty();
        }
        return repository.findById(hash(cookieValue)).filter(s -> s.expiresAt().isAfter(clock.instant()));
    }

    public void delete(SessionRow session) {
        repository.deleteById(session.idHash());
    }

    public Duration ttl() {
        return ttl;
    }

    @Scheduled(fixedDelay = "10m", initialDelay = "1m")
    void purgeExpired() {
        repository.deleteByExpiresAtLessThan(clock.instant());
    }

    static String token(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String hash(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public record Created(String cookieValue, SessionRow row) {
    }
}
