package org.agentplatform.dashboard.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.agentplatform.dashboard.events.StreamIds;
import org.agentplatform.dashboard.model.Problem;
import org.agentplatform.dashboard.web.Problems;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Every {@code /api/v1/dashboard/**} request but the login needs a live session (cookie
 * {@code SESSION}): 401 problem+json otherwise — including the WebSocket handshake, which is an
 * HTTP GET passing through here. Requests that change something (POST, PUT, PATCH, DELETE) also
 * need {@code X-CSRF-Token} equal to the session's token: 403 otherwise. The session is left in
 * the request attribute {@link #ATTRIBUTE} for the controllers.
 */
@ServerFilter("/api/v1/dashboard/**")
public class SessionFilter {
    public static final String COOKIE = "SESSION";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final String ATTRIBUTE = "dashboard.session";
    static final String LOGIN_PATH = "/api/v1/dashboard/session";
    static final String EVENTS_PATH = "/api/v1/dashboard/events";

    private final Sessions sessions;

    public SessionFilter(Sessions sessions) {
        this.sessions = sessions;
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    public HttpResponse<?> requireSession(HttpRequest<?> request) {
        if (request.getMethod() == HttpMethod.POST && LOGIN_PATH.equals(request.getPath())) {
            return null;
        }
        Optional<SessionRow> session = request.getCookies().findCookie(COOKIE).map(Cookie::getValue).flatMap(sessions::find);
        if (session.isEmpty()) {
            return Problems.response(HttpStatus.UNAUTHORIZED,
                    "Log in first: POST " + LOGIN_PATH + " sets the SESSION cookie (missing, unknown or expired here)");
        }
        if (changesState(request.getMethod()) && !csrfMatches(request.getHeaders().get(CSRF_HEADER), session.get().csrfToken())) {
            return Problems.response(HttpStatus.FORBIDDEN,
                    CSRF_HEADER + " is missing or does not match the session: send the csrf_token returned at login");
        }
        String lastEventId = request.getParameters().get("last_event_id");
        if (EVENTS_PATH.equals(request.getPath()) && lastEventId != null && !StreamIds.valid(lastEventId)) {
            return HttpResponse.<Problem>badRequest(Problems.problem(HttpStatus.BAD_REQUEST,
                    "last_event_id: must be an event id like 1732615200000-0",
                    java.util.List.of(Problems.param("last_event_id", "must match ^[0-9]+-[0-9]+$")))).contentType(Problems.PROBLEM_JSON);
        }
        request.setAttribute(ATTRIBUTE, session.get());
        return null;
    }

    static boolean changesState(HttpMethod method) {
        return method != HttpMethod.GET && method != HttpMethod.HEAD && method != HttpMethod.OPTIONS;
    }

    static boolean csrfMatches(@Nullable String sent, String expected) {
        // constant-time: the comparison must not leak how much of a guessed token is right
        return sent != null && MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
