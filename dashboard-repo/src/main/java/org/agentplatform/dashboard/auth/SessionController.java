package org.agentplatform.dashboard.auth;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.context.ServerRequestContext;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.context.annotation.Value;
import org.agentplatform.dashboard.api.AbstractSessionController;
import org.agentplatform.dashboard.model.LoginRequest;
import org.agentplatform.dashboard.model.SessionInfo;
import org.agentplatform.dashboard.web.ProblemException;

/** Login (bcrypt check, new session, cookie), who-am-I and logout. */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class SessionController extends AbstractSessionController {
    private final Users users;
    private final Sessions sessions;
    private final boolean secureCookie;

    public SessionController(Users users, Sessions sessions, @Value("${dashboard.cookie-secure:false}") boolean secureCookie) {
        this.users = users;
        this.sessions = sessions;
        this.secureCookie = secureCookie;
    }

    @Override
    public HttpResponse<SessionInfo> login(LoginRequest loginRequest) {
        String user = users.authenticate(loginRequest.getUsername(), loginRequest.getPassword())
                .orElseThrow(() -> new ProblemException(HttpStatus.UNAUTHORIZED, "Wrong user name or password"));
        Sessions.Created created = sessions.create(user);
        Cookie cookie = Cookie.of(SessionFilter.COOKIE, created.cookieValue())
                .httpOnly(true)
                .sameSite(SameSite.Strict)
                .path("/")
                .secure(secureCookie)
                .maxAge(sessions.ttl());
        return HttpResponse.ok(new SessionInfo(user, created.row().csrfToken())).cookie(cookie);
    }

    @Override
    public HttpResponse<SessionInfo> getSession() {
        SessionRow s = current();
        return HttpResponse.ok(new SessionInfo(s.username(), s.csrfToken()));
    }

    @Override
    public HttpResponse<Void> logout(String xCSRFToken) {
        sessions.delete(current());
        return HttpResponse.<Void>noContent().cookie(Cookie.of(SessionFilter.COOKIE, "").path("/").maxAge(0).httpOnly(true));
    }

    static SessionRow current() {
        return ServerRequestContext.currentRequest()
                .flatMap(r -> r.getAttribute(SessionFilter.ATTRIBUTE, SessionRow.class))
                .orElseThrow(() -> new ProblemException(HttpStatus.UNAUTHORIZED, "Log in first"));
    }
}
