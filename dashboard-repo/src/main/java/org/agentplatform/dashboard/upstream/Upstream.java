package org.agentplatform.dashboard.upstream;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import org.agentplatform.dashboard.web.ProblemException;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs one call to another service and turns its failures into the dashboard's answers: the
 * owner's 404 and 409 pass through (with the owner's detail), anything else it answers, or no
 * answer at all, is a 502 naming the service.
 */
public final class Upstream {
    private Upstream() {
    }

    public static <T> T call(String service, Supplier<T> call) {
        T result;
        try {
            result = call.get();
        } catch (HttpClientResponseException e) {
            int code = e.getStatus().getCode();
            String upstreamDetail = detail(e);
            if (code == 404) {
                throw new ProblemException(HttpStatus.NOT_FOUND, upstreamDetail != null ? upstreamDetail : service + " does not know it");
            }
            if (code == 409) {
                throw new ProblemException(HttpStatus.CONFLICT, upstreamDetail != null ? upstreamDetail : service + " refused: conflicting state");
            }
            if (code == 401 || code == 403) {
                throw new ProblemException(HttpStatus.BAD_GATEWAY, service + " answered " + code + ": check SERVICE_TOKEN and its SERVICE_TOKENS");
            }
            throw new ProblemException(HttpStatus.BAD_GATEWAY, service + " answered " + code);
        } catch (HttpClientException e) {
            throw new ProblemException(HttpStatus.BAD_GATEWAY, service + " is unreachable");
        }
        if (result == null) {
            // Micronaut's declarative clients answer an upstream 404 with null, not an exception
            throw new ProblemException(HttpStatus.NOT_FOUND, "Not found at " + service);
        }
        return result;
    }

    @SuppressWarnings("rawtypes")
    private static String detail(HttpClientResponseException e) {
        try {
            return e.getResponse().getBody(Map.class).map(m -> m.get("detail")).map(Object::toString).orElse(null);
        } catch (RuntimeException notJson) {
            return null;
        }
    }
}
