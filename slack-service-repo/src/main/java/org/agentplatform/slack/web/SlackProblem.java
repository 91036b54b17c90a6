package org.agentplatform.slack.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import org.agentplatform.slack.model.Problem;

/**
 * The contract's generated {@link Problem} plus one RFC 9457 extension member,
 * {@code slack_error}: Slack's own error code when the problem came from Slack.
 */
@Serdeable
public class SlackProblem extends Problem {

    @Nullable
    private String slackError;

    public SlackProblem(String title, Integer status) {
        super(title, status);
    }

    @Nullable
    @JsonProperty("slack_error")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public String getSlackError() {
        return slackError;
    }

    @JsonProperty("slack_error")
    public void setSlackError(@Nullable String slackError) {
        this.slackError = slackError;
    }
}
