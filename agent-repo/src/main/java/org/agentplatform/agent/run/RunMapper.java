package org.agentplatform.agent.run;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.agentplatform.agent.model.LogLine;
import org.agentplatform.agent.model.Run;
import org.agentplatform.agent.model.StatusChange;
import org.agentplatform.agent.model.TaskSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** Rows → the agent API's generated models. */
@Singleton
public class RunMapper {
    private final JsonMapper json;

    public RunMapper(JsonMapper json) {
        this.json = json;
    }

    public Run toRun(RunEntity e, List<StatusChangeEntity> history) {
        Run r = new Run(e.taskId(), Run.StatusEnum.fromValue(e.status()), source(e), e.inputMessage(), e.userId(),
                e.model(), e.agentType(), e.priority(), e.attempts(), utc(e.createdAt()));
        r.setRunner(e.runner());
        r.setCorrelationId(e.correlationId());
        r.setStartedAt(utc(e.startedAt()));
        r.setFinishedAt(utc(e.finishedAt()));
        r.setDurationMs(e.durationMs());
        r.setCostUsd(e.costUsd() == null ? null : e.costUsd().setScale(6, RoundingMode.HALF_UP).stripTrailingZeros()
                .max(BigDecimal.ZERO));
        r.setResult(e.result());
        r.setError(e.error());
        r.setAnswerPosted(e.answerPosted());
        if (history != null) {
            r.setHistory(history.stream().map(h -> {
                StatusChange c = new StatusChange(h.status(), utc(h.at()));
                c.setMessage(h.message());
                return c;
            }).toList());
        }
        return r;
    }

    public LogLine toLine(LogLineEntity l) {
        return new LogLine(l.seq(), utc(l.at()), LogLine.StreamEnum.fromValue(l.stream()), l.text());
    }

    private TaskSource source(RunEntity e) {
        if (e.sourceJson() != null) {
            try {
                TaskSource s = json.readValue(e.sourceJson(), Argument.of(TaskSource.class));
                if (s != null && s.getVendor() != null) {
                    return s;
                }
            } catch (IOException | RuntimeException unreadable) {
                // fall back on the vendor alone
            }
        }
        return new TaskSource(TaskSource.VendorEnum.fromValue(e.sourceVendor()));
    }

    static OffsetDateTime utc(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }
}
