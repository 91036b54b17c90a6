package org.agentplatform.slack.web;

import io.micronaut.serde.annotation.SerdeImport;
import org.agentplatform.slack.model.SlackResponseUrlRequest;

/**
 * The generator puts {@code @Serdeable} on model classes but not on their inner enums, so Serde
 * would ignore the enums' {@code @JsonValue}/{@code @JsonCreator} and expect Java constant names
 * ({@code IN_CHANNEL}) instead of the contract's values ({@code in_channel}). Importing them here
 * makes Serde read the generated annotations.
 */
@SerdeImport(SlackResponseUrlRequest.ResponseTypeEnum.class)
final class SerdeImports {

    private SerdeImports() {
    }
}
