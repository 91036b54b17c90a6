package org.agentplatform.jira.web;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.List;
import java.util.Map;

import io.micronaut.data.connection.jdbc.exceptions.CannotGetJdbcConnectionException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.agentplatform.jira.model.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whatever no more specific handler takes. The call log's database out of reach is a 503 with
 * {@code Retry-After} (the contract's {@code Unavailable}); anything else a 500. The caller gets one
 * sentence, never a stack trace; the log gets the cause, with the correlation id.
 */
@Singleton
@Produces("application/problem+json")
public class UnexpectedErrorHandler implements ExceptionHandler<RuntimeException, HttpResponse<Problem>> {

    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedErrorHandler.class);

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, RuntimeException exception) {
        if (databaseUnreachable(exception)) {
            LOG.error("Database unavailable for {} {}: {}", request.getMethodName(), request.getPath(), exception.getMessage());
            return Problems.response(HttpStatus.SERVICE_UNAVAILABLE, "The database is unavailable; retry later", List.of(),
                    request, Map.of("Retry-After", "5"));
        }
        LOG.error("Unexpected error for {} {}", request.getMethodName(), request.getPath(), exception);
        return Problems.response(HttpStatus.INTERNAL_SERVER_ERROR,
                "Internal error; see the service log (correlation id in X-Correlation-Id)", List.of(), request, Map.of());
    }

    static boolean databaseUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CannotGetJdbcConnectionException || t instanceof SQLTransientException) {
                return true; // no connection from the pool (Hikari: SQLTransientConnectionException)
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true; // connection exception / server shutting down
            }
        }
        return false;
    }
}
