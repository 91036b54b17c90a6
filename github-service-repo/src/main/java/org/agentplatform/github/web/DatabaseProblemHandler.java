package org.agentplatform.github.web;

import io.micronaut.data.connection.exceptions.ConnectionException;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.agentplatform.github.model.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;

/**
 * The call log database failing. Without its log the service must not call GitHub (it could not keep
 * Idempotency-Key promises), so it answers 503 problem+json with Retry-After (the contract's "Unavailable")
 * when the database cannot be reached, and a 500 problem without the driver's message otherwise.
 */
@Produces
@Singleton
public class DatabaseProblemHandler implements ExceptionHandler<DataAccessException, HttpResponse<Problem>> {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseProblemHandler.class);

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, DataAccessException exception) {
        return render(request, exception);
    }

    static HttpResponse<Problem> render(HttpRequest<?> request, RuntimeException exception) {
        if (isUnavailable(exception)) {
            LOG.error("{} {} -> 503: call log database unavailable", request.getMethod(), request.getPath(), exception);
            return Problems.response(new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE,
                "The call log database is unavailable; retry later", List.of(), Duration.ofSeconds(5)), request);
        }
        LOG.error("{} {} -> 500: call log database error", request.getMethod(), request.getPath(), exception);
        return Problems.response(new ApiProblem(HttpStatus.INTERNAL_SERVER_ERROR,
            "The call log database failed; the service log has the details"), request);
    }

    static boolean isUnavailable(Throwable exception) {
        for (Throwable t = exception; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof ConnectionException || t instanceof SQLTransientConnectionException
                    || t instanceof java.sql.SQLRecoverableException || t instanceof java.sql.SQLNonTransientConnectionException
                    || t instanceof java.net.SocketException || t instanceof java.io.EOFException) {
                return true;
            }
            // 08: connection exception; 57P: the server is shutting down; 53: insufficient resources.
            // Which one surfaces when the database goes away depends on timing.
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P") || sql.getSQLState().startsWith("53"))) {
                return true;
            }
        }
        return false;
    }

    /** The same for failures to obtain a connection, which are not {@link DataAccessException}s. */
    @Produces
    @Singleton
    public static class ConnectionProblemHandler implements ExceptionHandler<ConnectionException, HttpResponse<Problem>> {
        @Override
        public HttpResponse<Problem> handle(HttpRequest request, ConnectionException exception) {
            return render(request, exception);
        }
    }
}
