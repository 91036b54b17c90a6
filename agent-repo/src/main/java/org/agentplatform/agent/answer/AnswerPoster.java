package org.agentplatform.agent.answer;

/**
 * Posts a finished run's answer back where its task came from. One implementation per source
 * vendor (github, slack, jira, sentry; api stores only); the worker picks it by
 * {@code source.vendor}. Implementations must pass the request's idempotency key on, so a
 * redelivered task never posts twice.
 */
public interface AnswerPoster {

    /** The TaskSource vendor this poster answers: github, jira, slack, sentry or api. */
    String vendor();

    PostResult post(AnswerRequest request) throws AnswerPostException;

    /** The longest body the vendor service takes (the answer is cut to fit, marker kept). */
    default int maxBodyChars() {
        return Answers.MAX_BODY_CHARS;
    }
}
