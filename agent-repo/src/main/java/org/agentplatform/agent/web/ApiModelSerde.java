package org.agentplatform.agent.web;

import io.micronaut.serde.annotation.SerdeImport;
import org.agentplatform.agent.client.github.model.ReactionRequest;
import org.agentplatform.agent.client.slack.model.SlackResponseUrlRequest;
import org.agentplatform.agent.model.LogLine;
import org.agentplatform.agent.model.Run;
import org.agentplatform.agent.model.TaskSource;
import org.agentplatform.agent.model.TaskSourceGithub;

/**
 * The generated models carry {@code @Serdeable}, their nested enums do not: without these
 * imports Serde would write and read enum constant names ({@code SUCCEEDED}) instead of the
 * contract's values ({@code succeeded}, via their {@code @JsonValue}/{@code @JsonCreator}).
 */
@SerdeImport(Run.StatusEnum.class)
@SerdeImport(TaskSource.VendorEnum.class)
@SerdeImport(TaskSourceGithub.CommentTypeEnum.class)
@SerdeImport(LogLine.StreamEnum.class)
@SerdeImport(ReactionRequest.ContentEnum.class)
@SerdeImport(ReactionRequest.CommentTypeEnum.class)
@SerdeImport(SlackResponseUrlRequest.ResponseTypeEnum.class)
final class ApiModelSerde {
    private ApiModelSerde() {
    }
}
