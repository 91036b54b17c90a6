package org.agentplatform.slack;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.agentplatform.slack.support.SlackServiceTestBase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.agentplatform.slack.ValidationAndProblemsTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Without its database the service sends nothing and answers the contract's 503. */
@MicronautTest(transactional = false)
class DatabaseDownTest extends SlackServiceTestBase {

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("datasources.default.connection-timeout", "1500",
                "datasources.default.maximum-pool-size", "2",
                "datasources.default.minimum-idle", "0");
    }

    @Test
    void aMissingDatabaseIs503AndNothingIsSent() throws IOException {
        postgres.close();
        HttpResponse<String> response = call("POST", "/api/v1/slack/messages", "{\"channel\":\"C0123456789\",\"text\":\"hi\"}");
        JsonNode problem = assertProblem(response, 503);
        assertThat(problem.get("detail").asText()).contains("database");
        assertThat(response.headers().firstValue("Retry-After")).contains("5");
        slack.verify(0, anyRequestedFor(anyUrl()));
        postgres = null;
    }
}
