package org.agentplatform.gateway.webhook;

import io.micronaut.core.annotation.Nullable;

import java.util.regex.Pattern;

/**
 * Does a comment mention the trigger ({@code AGENT_TRIGGER}, default {@code @agent})?
 *
 * <ul>
 *   <li>case-insensitive: {@code @Agent} counts;</li>
 *   <li>a whole handle only: {@code @agentsmith}, {@code @agent-x}, {@code @agent_2} and
 *       {@code me@agent.dev} do not count, {@code @agent,} and {@code (@agent)} do;</li>
 *   <li>only what the author wrote as prose: mentions inside code (fenced blocks, inline code),
 *       quoted lines ({@code > ...}, e.g. a reply quoting an earlier request) and HTML comments do
 *       not count — GitHub does not treat those as mentions either.</li>
 * </ul>
 */
public final class TriggerMatcher {

    private static final Pattern FENCED = Pattern.compile("(?ms)^[ \\t]*(```|~~~).*?(?:^[ \\t]*\\1[ \\t]*$|\\z)");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`\\n]*`");
    private static final Pattern QUOTE_LINE = Pattern.compile("(?m)^[ \\t]*>.*$");
    private static final Pattern HTML_COMMENT = Pattern.compile("(?s)<!--.*?(?:-->|\\z)");

    private final String trigger;
    private final Pattern mention;

    public TriggerMatcher(String trigger) {
        this.trigger = trigger;
        this.mention = Pattern.compile("(?<![A-Za-z0-9_@./-])" + Pattern.quote(trigger) + "(?![A-Za-z0-9_-])",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    public String trigger() {
        return trigger;
    }

    public boolean mentions(@Nullable String body) {
        if (body == null || body.isEmpty()) {
            return false;
        }
        return mention.matcher(prose(body)).find();
    }

    /** The comment without code, quotes and HTML comments. */
    static String prose(String body) {
        String s = HTML_COMMENT.matcher(body).replaceAll(" ");
        s = FENCED.matcher(s).replaceAll(" ");
        s = INLINE_CODE.matcher(s).replaceAll(" ");
        return QUOTE_LINE.matcher(s).replaceAll(" ");
    }
}
