package org.agentplatform.agent.answer;

/**
 * Posts a finished run's answer back where its task came from. One implementation per source
 * vendor (github now; jira, slack and sentry follow the same shape); the worker picks it by
 * {@code source.vendor}. Implementations must pass the request's idempotency key on, so a
 * redelivered task never posts twice.
 */
public interface AnswerPoster {

    /** The TaskSource vendor this poster answers: github, jira, slack, sentry or api. */
    String vendor();

    PostResult post(AnswerRequest request) throws AnswerPostException;
}
