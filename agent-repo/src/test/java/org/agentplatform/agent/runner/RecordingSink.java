package org.agentplatform.agent.runner;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A ProgressSink that keeps what it gets. */
final class RecordingSink implements ProgressSink {
    record Line(String stream, String text) {}

    final List<Line> lines = new ArrayList<>();
    final List<BigDecimal> costs = new ArrayList<>();
    private final Consumer<BigDecimal> onCost;

    RecordingSink() {
        this(c -> { });
    }

    RecordingSink(Consumer<BigDecimal> onCost) {
        this.onCost = onCost;
    }

    @Override
    public synchronized void line(String stream, String text) {
        lines.add(new Line(stream, text));
    }

    @Override
    public synchronized void cost(BigDecimal costSoFar) {
        costs.add(costSoFar);
        onCost.accept(costSoFar);
    }

    synchronized List<String> texts(String stream) {
        return lines.stream().filter(l -> l.stream().equals(stream)).map(Line::text).toList();
    }
}
