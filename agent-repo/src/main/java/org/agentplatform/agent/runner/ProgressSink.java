package org.agentplatform.agent.runner;

import java.math.BigDecimal;

/** Where a runner streams its progress: log lines (stdout, stderr, system) and its cost so far. */
public interface ProgressSink {
    String STDOUT = "stdout";
    String STDERR = "stderr";
    String SYSTEM = "system";

    void line(String stream, String text);

    /** The cost of this attempt so far; reaching the task's cap stops the run. */
    void cost(BigDecimal costSoFar);
}
