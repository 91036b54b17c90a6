package org.agentplatform.agent.runner;

/**
 * Runs one attempt of a task. Chosen by {@code AGENT_RUNNER}. A runner reports output lines and
 * cost through the {@link ProgressSink} as they come, and must stop promptly (kill, abort the
 * request) when its {@link RunControl} is stopped: the worker decides what a stop means.
 */
public interface AgentRunner {

    /** dry-run, openai or command: the value of AGENT_RUNNER, stored as the run's runner. */
    String name();

    RunnerResult run(RunRequest request, RunControl control, ProgressSink progress) throws RunnerException;
}
