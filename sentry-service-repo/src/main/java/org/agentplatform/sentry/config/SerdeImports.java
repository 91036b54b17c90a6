package org.agentplatform.sentry.config;

import io.micronaut.serde.annotation.SerdeImport;
import org.agentplatform.sentry.model.SentryIssueUpdateRequest;

/**
 * The generator annotates model classes with {@code @Serdeable} but not their inner enums; without
 * this import Micronaut Serde ignores the enum's {@code @JsonCreator}/{@code @JsonValue} and expects
 * {@code RESOLVED} instead of the contract's {@code resolved}.
 */
@SerdeImport(SentryIssueUpdateRequest.StatusEnum.class)
public final class SerdeImports {
    private SerdeImports() {
    }
}
