package org.agentplatform.agent.web;

import io.lettuce.core.RedisException;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ConversionErrorHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.validation.exceptions.ConstraintExceptionHandler;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import org.agentplatform.agent.model.Problem;
import org.agentplatform.agent.run.RunException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** problem+json for validation, conversion, domain errors and unavailable dependencies. */
final class ErrorHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorHandlers.class);

    private ErrorHandlers() {
    }

    /** Bean validation of parameters: 400 naming each parameter as the API names it. */
    @Singleton
    @Produces(Problems.CONTENT_TYPE)
    @Replaces(ConstraintExceptionHandler.class)
    static class Validation implements ExceptionHandler<ConstraintViolationException, HttpResponse<Problem>> {
        @Override
        public HttpResponse<Problem> handle(HttpRequest request, ConstraintViolationException e) {
            List<Problems.InvalidParam> invalid = e.getConstraintViolations().stream()
                    .map(v -> new Problems.InvalidParam(name(v), v.getMessage()))
                    .sorted(Comparator.comparing(Problems.InvalidParam::name))
                    .collect(Collectors.toList());
            String detail = invalid.stream().map(i -> i.name() + ": " + i.reason()).collect(Collectors.joining("; "));
            return Problems.response(HttpStatus.BAD_REQUEST, detail, invalid);
        }

        private static String name(ConstraintViolation<?> v) {
            String last = null;
            for (Path.Node node : v.getPropertyPath()) {
                if (node.getName() != null) {
                    last = node.getName();
                }
            }
            return Problems.snake(last == null ? "request" : last);
        }
    }

    /** A parameter that does not convert (e.g. since=yesterday): 400 naming it. */
    @Singleton
    @Produces(Problems.CONTENT_TYPE)
    @Replaces(ConversionErrorHandler.class)
    static class Conversion implements ExceptionHandler<ConversionErrorException, HttpResponse<Problem>> {
        @Override
        public HttpResponse<Problem> handle(HttpRequest request, ConversionErrorException e) {
            String name = Problems.snake(e.getArgument().getName());
            String reason = "cannot be read as " + e.getArgument().getType().getSimpleName()
                    + ("OffsetDateTime".equals(e.getArgument().getType().getSimpleName()) ? " (RFC 3339, e.g. 2026-11-26T10:00:00Z)" : "");
            return Problems.response(HttpStatus.BAD_REQUEST, name + ": " + reason, List.of(new Problems.InvalidParam(name, reason)));
        }
    }

    @Singleton
    @Produces(Problems.CONTENT_TYPE)
    static class Domain implements ExceptionHandler<ApiException, HttpResponse<Problem>> {
        @Override
        public HttpResponse<Problem> handle(HttpRequest request, ApiException e) {
            return Problems.response(e.status(), e.getMessage(), e.invalidParams());
        }
    }

    @Singleton
    @Produces(Problems.CONTENT_TYPE)
    static class RunProblem implements ExceptionHandler<RunException, HttpResponse<Problem>> {
        @Override
        public HttpResponse<Problem> handle(HttpRequest request, RunException e) {
            return switch (e.kind()) {
                case NOT_FOUND -> Problems.response(HttpStatus.NOT_FOUND, e.getMessage());
                case CONFLICT -> Problems.response(HttpStatus.CONFLICT, e.getMessage());
                case INVALID -> Problems.response(HttpStatus.BAD_REQUEST, e.field() + ": " + e.getMessage(),
                        List.of(new Problems.InvalidParam(e.field(), e.getMessage())));
            };
        }
    }

    @Singleton
    @Produces(Problems.CONTENT_TYPE)
    static class RedisDown implements ExceptionHandler<RedisException, HttpResponse<Problem>> {
        @Override
        public HttpResponse<Problem> handle(HttpRequest request, RedisException e) {
            LOG.warn("Redis unavailable for {} {}: {}", request.getMethodName(), request.getPath(), e.toString());
            return Problems.response(HttpStatus.SERVICE_UNAVAILABLE, "The queue (Redis) is unavailable; retry later");
        }
    }

    @Singleton
    @Produces(Problems.CONTENT_TYPE)
    static class DatabaseDown implements ExceptionHandler<DataAccessException, HttpResponse<Problem>> {
        @Override
        public HttpResponse<Problem> handle(HttpRequest request, DataAccessException e) {
            return databaseUnavailable(request, e);
        }
    }

    @Singleton
    @Produces(Problems.CONTENT_TYPE)
    static class SqlDown implements ExceptionHandler<SQLException, HttpResponse<Problem>> {
        @Override
        public HttpResponse<Problem> handle(HttpRequest request, SQLException e) {
            return databaseUnavailable(request, e);
        }
    }

    /** Micronaut Data wraps some database failures and not others: both answer the same 503. */
    private static HttpResponse<Problem> databaseUnavailable(HttpRequest<?> request, Exception e) {
        LOG.warn("Database error for {} {}: {}", request.getMethodName(), request.getPath(), e.toString());
        return Problems.response(HttpStatus.SERVICE_UNAVAILABLE, "The database is unavailable; retry later");
    }
}
