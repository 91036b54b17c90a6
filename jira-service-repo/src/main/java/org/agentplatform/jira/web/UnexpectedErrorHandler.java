package org.agentplatform.jira.web;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
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

    /**
     * Whether the failure is the database being out of reach rather than a bug of ours. Which
     * exception surfaces depends on timing (a dead pooled connection, a refused new one, a pool
     * timeout, a server shutting down), so every SQL error counts as "unavailable" except the
     * classes that only a wrong statement or wrong data can cause.
     */
    static boolean databaseUnreachable(Throwable e) {
        boolean sawDatabaseError = false;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof CannotGetJdbcConnectionException || t instanceof SQLTransientException
                    || t instanceof SQLRecoverableException || t instanceof SQLNonTransientConnectionException
                    || t instanceof java.net.SocketException || t instanceof java.io.EOFException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53"))) {
                    return true; // connection exception, server shutting down, insufficient resources
                }
                if (state != null && PROGRAMMING_ERROR_CLASSES.contains(state.substring(0, Math.min(2, state.length())))) {
                    return false;
                }
                sawDatabaseError = true;
            }
            if (t instanceof io.micronaut.data.exceptions.DataAccessException
                    || t instanceof io.micronaut.data.connection.exceptions.ConnectionException
                    || t instanceof io.micronaut.transaction.exceptions.TransactionException) {
                sawDatabaseError = true;
            }
        }
        return sawDatabaseError;
    }

    /** SQLSTATE classes caused by the statement or its data: data exception, integrity, syntax/access, not supported. */
    private static final java.util.Set<String> PROGRAMMING_ERROR_CLASSES = java.util.Set.of("22", "23", "42", "0A", "2B");
}
