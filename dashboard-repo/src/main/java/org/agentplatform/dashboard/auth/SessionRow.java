package org.agentplatform.dashboard.auth;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A login session; {@code idHash} is the SHA-256 of the cookie value. */
@MappedEntity("sessions")
public record SessionRow(@Id String idHash, String username, String csrfToken, Instant createdAt, Instant expiresAt) {
}
