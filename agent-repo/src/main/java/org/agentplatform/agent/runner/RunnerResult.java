package org.agentplatform.agent.runner;

import java.math.BigDecimal;

/** The answer text and what producing it cost (USD). */
public record RunnerResult(String text, BigDecimal costUsd) {
}
