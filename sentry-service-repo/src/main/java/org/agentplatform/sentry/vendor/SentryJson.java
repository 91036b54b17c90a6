package org.agentplatform.sentry.vendor;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import org.agentplatform.sentry.model.SentryEvent;
import org.agentplatform.sentry.model.SentryException;
import org.agentplatform.sentry.model.SentryFrame;
import org.agentplatform.sentry.model.SentryIssue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps Sentry's JSON (API serializers: camelCase, {@code count} as a string) to the contract's
 * models. Tolerates the snake_case names of the raw event payload too ({@code lineno},
 * {@code in_app}, {@code context_line}), as webhooks and older servers send them.
 */
@Singleton
public class SentryJson {

    private final JsonMapper mapper;

    public SentryJson(JsonMapper mapper) {
        this.mapper = mapper;
    }

    public JsonNode parse(@Nullable String body) {
        if (body == null || body.isBlank()) {
            return JsonNode.nullNode();
        }
        try {
            return mapper.readValue(body.getBytes(StandardCharsets.UTF_8), JsonNode.class);
        } catch (IOException e) {
            return JsonNode.nullNode();
        }
    }

    public String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    /** {@code GET /issues/{id}/} → the issue part of {@link SentryIssue}. */
    public SentryIssue issue(JsonNode issue, String requestedId) {
        String id = text(issue, "id");
        String title = text(issue, "title");
        if (title == null) {
            title = text(issue.get("metadata"), "title");
        }
        SentryIssue result = new SentryIssue(id == null ? requestedId : id, title == null ? "" : title);
        result.setShortId(text(issue, "shortId", "short_id"));
        result.setCulprit(text(issue, "culprit"));
        result.setLevel(text(issue, "level"));
        result.setStatus(text(issue, "status"));
        result.setPermalink(text(issue, "permalink"));
        JsonNode project = issue == null ? null : issue.get("project");
        if (project != null && project.isObject()) {
            result.setProject(text(project, "slug"));
        } else if (project != null && project.isString()) {
            result.setProject(project.getStringValue());
        }
        result.setCount(parseLong(issue == null ? null : issue.get("count")));
        return result;
    }

    /** {@code GET /issues/{id}/events/latest/} → {@link SentryEvent}. */
    public SentryEvent event(JsonNode event) {
        String eventId = text(event, "eventID", "event_id", "id");
        SentryEvent result = new SentryEvent(eventId == null ? "" : eventId);
        result.setPlatform(text(event, "platform"));
        result.setMessage(message(event));
        result.setExceptions(exceptions(event));
        return result;
    }

    /** The event's message; for error events Sentry sends {@code ""} and the title carries it. */
    @Nullable
    static String message(JsonNode event) {
        String message = text(event, "message");
        if (message != null && !message.isBlank()) {
            return message;
        }
        JsonNode entry = entry(event, "message");
        if (entry != null) {
            String formatted = text(entry.get("data"), "formatted", "message");
            if (formatted != null && !formatted.isBlank()) {
                return formatted;
            }
        }
        JsonNode logentry = event == null ? null : event.get("logentry");
        String fromLogentry = text(logentry, "formatted", "message");
        if (fromLogentry != null && !fromLogentry.isBlank()) {
            return fromLogentry;
        }
        return text(event, "title");
    }

    /**
     * {@code entries[type=exception].data.values[]}, in Sentry's order (for chained exceptions the
     * outermost first); each frame list innermost frame last. An event without an exception but
     * with a {@code stacktrace} entry (a message captured with a stack) gives one exception without
     * type whose value is the message.
     */
    static List<SentryException> exceptions(JsonNode event) {
        List<SentryException> result = new ArrayList<>();
        JsonNode entry = entry(event, "exception");
        JsonNode values = entry == null ? null : valuesOf(entry.get("data"));
        if (values == null && event != null && event.get("exception") != null) {
            values = valuesOf(event.get("exception")); // raw event payload
        }
        if (values != null) {
            for (JsonNode value : values.values()) {
                SentryException ex = new SentryException();
                ex.setType(text(value, "type"));
                ex.setValue(text(value, "value"));
                JsonNode stacktrace = value.get("stacktrace");
                if (stacktrace == null || stacktrace.isNull()) {
                    stacktrace = value.get("rawStacktrace");
                }
                ex.setFrames(frames(stacktrace));
                result.add(ex);
            }
            return result;
        }
        JsonNode stack = entry(event, "stacktrace");
        if (stack != null && stack.get("data") != null) {
            SentryException ex = new SentryException();
            ex.setValue(message(event));
            ex.setFrames(frames(stack.get("data")));
            result.add(ex);
        }
        return result;
    }

    static List<SentryFrame> frames(@Nullable JsonNode stacktrace) {
        List<SentryFrame> result = new ArrayList<>();
        JsonNode frames = stacktrace == null ? null : stacktrace.get("frames");
        if (frames == null || !frames.isArray()) {
            return result;
        }
        for (JsonNode f : frames.values()) {
            SentryFrame frame = new SentryFrame();
            String filename = text(f, "filename");
            frame.setFilename(filename != null ? filename : text(f, "absPath", "abs_path"));
            frame.setFunction(text(f, "function"));
            frame.setModule(text(f, "module"));
            Long line = parseLong(first(f, "lineNo", "lineno"));
            frame.setLineno(line == null ? null : line.intValue());
            JsonNode inApp = first(f, "inApp", "in_app");
            frame.setInApp(inApp != null && inApp.isBoolean() ? inApp.getBooleanValue() : null);
            frame.setContextLine(contextLine(f, line));
            result.add(frame);
        }
        return result;
    }

    /** The code at the frame's line: {@code context: [[lineNo, code], …]} or raw {@code context_line}. */
    @Nullable
    static String contextLine(JsonNode frame, @Nullable Long line) {
        String direct = text(frame, "contextLine", "context_line");
        if (direct != null) {
            return direct;
        }
        JsonNode context = frame.get("context");
        if (line == null || context == null || !context.isArray()) {
            return null;
        }
        for (JsonNode pair : context.values()) {
            if (pair.isArray() && pair.size() >= 2) {
                Long n = parseLong(pair.get(0));
                JsonNode code = pair.get(1);
                if (n != null && n.longValue() == line.longValue() && code != null && code.isString()) {
                    return code.getStringValue();
                }
            }
        }
        return null;
    }

    /** Sentry's {@code count} is a string in the issue serializers ({@code "count": "150"}). */
    @Nullable
    static Long parseLong(@Nullable JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            return node.getLongValue();
        }
        if (node.isString()) {
            try {
                return Long.parseLong(node.getStringValue().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** The id Sentry gives a created note (Activity): {@code {"id": "4321", "type": "note", …}}. */
    @Nullable
    public String idOf(@Nullable String body) {
        return text(parse(body), "id");
    }

    @Nullable
    public String eventIdOf(@Nullable String body) {
        return text(parse(body), "eventID", "id");
    }

    /**
     * In Sentry's answer to {@code GET /issues/{id}/comments/} (the issue's notes, newest first:
     * {@code [{"id": "4", "type": "note", "data": {"text": "…"}, "dateCreated": "2026-11-27T02:30:00.123456Z", …}]}),
     * the first note whose {@code data.text} is exactly {@code text} and whose {@code dateCreated} is at or after
     * {@code notBefore}, as JSON (the shape of the note-creating POST's answer).
     */
    public Optional<String> findNote(@Nullable String notes, String text, Instant notBefore) {
        JsonNode list = parse(notes);
        if (!list.isArray()) {
            return Optional.empty();
        }
        for (JsonNode note : list.values()) {
            String type = text(note, "type");
            Instant created = instant(text(note, "dateCreated"));
            if ((type == null || "note".equals(type)) && text(note, "id") != null
                    && text.equals(text(note.get("data"), "text"))
                    && created != null && !created.isBefore(notBefore)) {
                return Optional.of(write(note));
            }
        }
        return Optional.empty();
    }

    @Nullable
    private static Instant instant(@Nullable String iso) {
        if (iso == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The {@code detail} of a Sentry error answer ({@code {"detail": "…"}}), if any. */
    @Nullable
    public String detailOf(@Nullable String body) {
        JsonNode node = parse(body);
        String detail = text(node, "detail");
        if (detail == null && node.isObject() && node.get("detail") != null && node.get("detail").isObject()) {
            detail = text(node.get("detail"), "message");
        }
        return detail;
    }

    /** DRF field errors ({@code {"status": ["\"closed\" is not a valid choice."]}}) as name → reason. */
    public List<Map.Entry<String, String>> fieldErrorsOf(@Nullable String body) {
        List<Map.Entry<String, String>> result = new ArrayList<>();
        JsonNode node = parse(body);
        if (!node.isObject()) {
            return result;
        }
        for (Map.Entry<String, JsonNode> e : node.entries()) {
            if ("detail".equals(e.getKey())) {
                continue;
            }
            JsonNode v = e.getValue();
            if (v.isArray() && v.size() > 0 && v.get(0).isString()) {
                result.add(Map.entry(e.getKey(), v.get(0).getStringValue()));
            } else if (v.isString()) {
                result.add(Map.entry(e.getKey(), v.getStringValue()));
            }
        }
        return result;
    }

    @Nullable
    private static JsonNode entry(@Nullable JsonNode event, String type) {
        JsonNode entries = event == null ? null : event.get("entries");
        if (entries == null || !entries.isArray()) {
            return null;
        }
        for (JsonNode e : entries.values()) {
            if (type.equals(text(e, "type"))) {
                return e;
            }
        }
        return null;
    }

    @Nullable
    private static JsonNode valuesOf(@Nullable JsonNode data) {
        JsonNode values = data == null ? null : data.get("values");
        return values != null && values.isArray() ? values : null;
    }

    @Nullable
    private static JsonNode first(@Nullable JsonNode node, String... names) {
        if (node == null || !node.isObject()) {
            return null;
        }
        for (String name : names) {
            JsonNode v = node.get(name);
            if (v != null && !v.isNull()) {
                return v;
            }
        }
        return null;
    }

    @Nullable
    static String text(@Nullable JsonNode node, String... names) {
        JsonNode v = first(node, names);
        if (v == null) {
            return null;
        }
        if (v.isString()) {
            return v.getStringValue();
        }
        if (v.isNumber() || v.isBoolean()) {
            return v.coerceStringValue();
        }
        return null;
    }
}
