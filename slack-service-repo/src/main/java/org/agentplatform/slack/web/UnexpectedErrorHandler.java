package org.agentplatform.slack.web;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Map;

/**
 * Anything no other handler knows: the call-log database being unreachable becomes the contract's
 * 503 (retry later); everything else is logged with its stack trace and answered 500 without
 * details (the correlation id leads to the log line).
 */
@Produces
@Singleton
@Requires(classes = ExceptionHandler.class)
public class UnexpectedErrorHandler implements ExceptionHandler<RuntimeException, HttpResponse<?>> {

    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedErrorHandler.class);

    private final Problems problems;

    public UnexpectedErrorHandler(Problems problems) {
        this.problems = problems;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, RuntimeException exception) {
        String correlationId = MDC.get(CorrelationFilter.MDC_KEY);
        if (databaseUnreachable(exception)) {
            LOG.error("{} {}: the database is unavailable: {}", request.getMethodName(), request.getPath(), exception.toString());
            return problems.response(new ProblemException(HttpStatus.SERVICE_UNAVAILABLE,
                    "The call-log database is unavailable; retry later", null, List.of(), Map.of("Retry-After", "5")), request);
        }
        LOG.error("{} {}: unexpected error", request.getMethodName(), request.getPath(), exception);
        return problems.response(ProblemException.of(HttpStatus.INTERNAL_SERVER_ERROR,
                "Internal error; the service log has the details" + (correlationId == null ? "" : " (correlation id " + correlationId + ")")),
                request);
    }

    static boolean databaseUnreachable(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof ConnectException
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
}
