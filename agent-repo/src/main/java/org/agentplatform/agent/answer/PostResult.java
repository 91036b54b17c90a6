package org.agentplatform.agent.answer;

import io.micronaut.core.annotation.Nullable;

/**
 * What became of an answer: {@code posted} (reached the vendor service; {@code reference} is
 * e.g. the comment id) or only stored (sources that take no answer).
 */
public record PostResult(boolean posted, @Nullable String reference, String description) {

    public static PostResult posted(@Nullable String reference, String description) {
        return new PostResult(true, reference, description);
    }

    public static PostResult stored(String description) {
        return new PostResult(false, null, description);
    }
}
