package org.agentplatform.gateway.webhook.slack;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import org.agentplatform.gateway.http.ProblemException;
import org.agentplatform.gateway.messages.SlackSource;
import org.agentplatform.gateway.messages.TaskSource;
import org.agentplatform.gateway.webhook.TaskSpec;
import org.agentplatform.gateway.webhook.VendorDecision;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.agentplatform.gateway.webhook.JsonBodies.at;
import static org.agentplatform.gateway.webhook.JsonBodies.has;
import static org.agentplatform.gateway.webhook.JsonBodies.required;
import static org.agentplatform.gateway.webhook.JsonBodies.text;

/**
 * Decides what a verified Slack request asks for, in Slack's own formats: an Events API
 * {@code event_callback} (api.slack.com/events/app_mention) or a slash command
 * (api.slack.com/interactivity/slash-commands, form-encoded).
 */
@Singleton
public class SlackEventInterpreter {

    public static final String USAGE = "Tell the agent what to do, e.g. `/agent fix the flaky checkout test`.";

    private static final Pattern CHANNEL = Pattern.compile("^[A-Z0-9]{2,32}$");
    private static final Pattern ANY_MENTION = Pattern.compile("<@[A-Z0-9]+(?:\\|[^>]*)?>");

    /** An {@code event_callback}. */
    public VendorDecision decideEvent(JsonNode payload) {
        JsonNode event = at(payload, "event");
        if (event == null || !event.isObject()) {
            throw ProblemException.badField("event", "is required in an event_callback");
        }
        String type = text(event, "type");
        if (!"app_mention".equals(type)) {
            return new VendorDecision.Ignore("Slack event '" + type + "' does not create tasks (only app_mention)");
        }
        // the agent's own messages (and other apps') never trigger: no loops
        if (has(event, "bot_id") || "bot_message".equals(text(event, "subtype"))) {
            return new VendorDecision.Ignore("message from a bot (" + text(event, "bot_id") + ")");
        }
        String channel = required(event, "channel");
        if (!CHANNEL.matcher(channel).matches()) {
            throw ProblemException.badField("event.channel", "must be a Slack channel id");
        }
        String ts = required(event, "ts");
        String user = required(event, "user");
        String ask = stripMentions(text(event, "text"), botUserIds(payload));
        if (ask.isEmpty()) {
            return new VendorDecision.Ignore("the mention asks nothing: write the request after the mention");
        }
        String team = text(payload, "team_id") != null ? text(payload, "team_id") : text(event, "team");
        String threadTs = text(event, "thread_ts") != null ? text(event, "thread_ts") : ts;
        SlackSource slack = new SlackSource().withChannel(channel).withThreadTs(threadTs).withMessageTs(ts)
                .withTeamId(team);
        TaskSource source = new TaskSource().withVendor(TaskSource.Vendor.SLACK)
                .withUrl(permalink(channel, ts, threadTs)).withSlack(slack);
        String session = "slack:" + (team == null ? "-" : team) + ":" + channel + ":" + threadTs;
        return new VendorDecision.CreateTask(TaskSpec.simple(session, user, ask, null, source,
                TaskSpec.Reaction.PER_TASK), "app_mention in " + channel);
    }

    /** A slash command (form fields as Slack sends them). */
    public VendorDecision decideCommand(Map<String, String> form) {
        String text = form.getOrDefault("text", "").strip();
        if (text.isEmpty()) {
            return new VendorDecision.Ignore("the command has no text");
        }
        String channel = requiredField(form, "channel_id");
        if (!CHANNEL.matcher(channel).matches()) {
            throw ProblemException.badField("channel_id", "must be a Slack channel id");
        }
        String user = requiredField(form, "user_id");
        String team = form.get("team_id");
        String trigger = requiredField(form, "trigger_id");
        SlackSource slack = new SlackSource().withChannel(channel).withTeamId(team)
                .withResponseUrl(form.get("response_url"));
        TaskSource source = new TaskSource().withVendor(TaskSource.Vendor.SLACK)
                .withUrl("https://slack.com/app_redirect?channel=" + channel + (team == null ? "" : "&team=" + team))
                .withSlack(slack);
        // a slash command starts its own conversation (it has no thread)
        String session = "slack:" + (team == null ? "-" : team) + ":" + channel + ":command-" + trigger;
        return new VendorDecision.CreateTask(TaskSpec.simple(session, user, text, null, source,
                TaskSpec.Reaction.NONE), form.getOrDefault("command", "slash command") + " in " + channel);
    }

    /**
     * The request without the app's mention: the bot user ids Slack names in {@code authorizations}
     * are removed wherever they are; if none is named, the first mention (the one that made this an
     * app_mention) is. Other people's mentions stay.
     */
    static String stripMentions(@Nullable String text, Set<String> botUserIds) {
        if (text == null) {
            return "";
        }
        String s = text;
        boolean removed = false;
        for (String id : botUserIds) {
            String before = s;
            s = s.replaceAll("<@" + Pattern.quote(id) + "(?:\\|[^>]*)?>", " ");
            removed |= !before.equals(s);
        }
        if (!removed) {
            s = ANY_MENTION.matcher(s).replaceFirst(" ");
        }
        return s.replaceAll("[ \\t]+", " ").strip();
    }

    private static Set<String> botUserIds(JsonNode payload) {
        Set<String> ids = new LinkedHashSet<>();
        JsonNode authorizations = at(payload, "authorizations");
        if (authorizations != null && authorizations.isArray()) {
            for (JsonNode a : authorizations.values()) {
                String id = text(a, "user_id");
                if (id != null && "true".equals(text(a, "is_bot"))) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    /** Slack's message permalink form; it redirects to the workspace the reader is signed in to. */
    private static String permalink(String channel, String ts, String threadTs) {
        String url = "https://slack.com/archives/" + channel + "/p" + ts.replace(".", "");
        return threadTs.equals(ts) ? url : url + "?thread_ts=" + threadTs + "&cid=" + channel;
    }

    private static String requiredField(Map<String, String> form, String name) {
        String value = form.get(name);
        if (value == null || value.isBlank()) {
            throw ProblemException.badField(name, "is required in a slash command");
        }
        return value;
    }
}
