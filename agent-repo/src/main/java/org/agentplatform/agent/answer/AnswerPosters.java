package org.agentplatform.agent.answer;

import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The answer poster for each source vendor. */
@Singleton
public class AnswerPosters {
    private final Map<String, AnswerPoster> byVendor;

    public AnswerPosters(List<AnswerPoster> posters) {
        this.byVendor = posters.stream().collect(Collectors.toMap(AnswerPoster::vendor, Function.identity()));
    }

    public Optional<AnswerPoster> forVendor(String vendor) {
        return Optional.ofNullable(byVendor.get(vendor));
    }
}
