package org.agentplatform.github.ops;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.agentplatform.github.support.ServiceTestBase;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production logback.xml: LOG_FORMAT=json switches to one JSON object per line carrying correlation_id
 * and trace_id; without it the human-readable format stays. The JSON appender is taken from that file and
 * fed the log lines of a real request, so the filter's MDC and the encoder are checked together.
 */
@MicronautTest(transactional = false)
class JsonLogFormatTest extends ServiceTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    // ---- what differs between service repos ----
    private static final String SERVICE = "github-service";
    private static final String OWN_LOGGERS = "org.agentplatform.github";
    private static final String ACCESS_LOGGER = "org.agentplatform.github.access";

    private Http.Answer dryRunCall(String... headers) {
        return Http.send(server, "POST", "/api/v1/github/pr/octo/hello/7/comment", "{\"comment\": \"json logs\"}",
            DeploymentManifestsTest.concat(headers, "Authorization", "Bearer " + AGENT_TOKEN));
    }
    // --------------------------------------------

    @Test
    void defaultIsTheTextFormat() throws Exception {
        LoggerContext production = production(null);
        assertThat(names(production)).containsExactly("text");
        production.stop();
    }

    @Test
    void jsonLinesCarryTheCorrelationAndTraceIdOfTheRequest() throws Exception {
        LoggerContext production = production("json");
        assertThat(names(production)).containsExactly("json");
        @SuppressWarnings("unchecked")
        OutputStreamAppender<ILoggingEvent> json = (OutputStreamAppender<ILoggingEvent>) production.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        json.setOutputStream(out);
        Logger live = (Logger) LoggerFactory.getLogger(OWN_LOGGERS);
        live.addAppender(json);
        String correlationId = "corr-" + UUID.randomUUID();
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        try {
            Http.Answer r = dryRunCall("X-Correlation-Id", correlationId, "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
        } finally {
            live.detachAppender(json);
            production.stop();
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            lines.add(JSON.readTree(line));  // each line alone must be a JSON document
        }
        List<JsonNode> ours = lines.stream().filter(l -> correlationId.equals(l.path("correlation_id").asText())).toList();
        assertThat(ours).as("lines of the request: %s", lines).isNotEmpty();
        assertThat(ours).allSatisfy(l -> {
            assertThat(l.path("trace_id").asText()).isEqualTo(traceId);
            assertThat(l.path("service").asText()).isEqualTo(SERVICE);
            assertThat(l.path("level").asText()).isNotEmpty();
            assertThat(l.path("message").asText()).isNotEmpty();
            assertThat(l.has("@timestamp")).isTrue();
        });
        assertThat(ours).anySatisfy(l -> assertThat(l.path("logger_name").asText()).isEqualTo(ACCESS_LOGGER));
    }

    /** A separate logback context configured from src/main/resources/logback.xml with LOG_FORMAT as given. */
    private static LoggerContext production(String logFormat) throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(org.slf4j.MDC.getMDCAdapter());
        if (logFormat != null) {
            context.putProperty("LOG_FORMAT", logFormat);
        }
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(java.nio.file.Path.of("src/main/resources/logback.xml").toFile());
        return context;
    }

    private static List<String> names(LoggerContext context) {
        List<String> names = new ArrayList<>();
        context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().forEachRemaining((Appender<ILoggingEvent> a) -> names.add(a.getName()));
        return names;
    }
}
