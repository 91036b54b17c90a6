package org.agentplatform.agent.answer;

import jakarta.inject.Singleton;
import org.agentplatform.agent.messages.TaskSource;

/** Tasks created through the gateway's API take no answer: the result is stored in the run. */
@Singleton
public class ApiAnswerPoster implements AnswerPoster {

    @Override
    public String vendor() {
        return TaskSource.Vendor.API.value();
    }

    @Override
    public PostResult post(AnswerRequest request) {
        return PostResult.stored("result stored (api task: nothing to post)");
    }
}
