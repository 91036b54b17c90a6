package org.agentplatform.jira.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import io.micronaut.data.exceptions.DataAccessException;
import org.junit.jupiter.api.Test;

/**
 * Which database failures answer 503 (retry later) and which 500 (our bug). The database going away
 * surfaces as different exceptions depending on timing; a flaky CI run once got a 500 for one of them.
 */
class DatabaseFailureClassificationTest {

    @Test
    void connectionFailuresInAnyWrappingAreUnavailable() {
        assertTrue(UnexpectedErrorHandler.databaseUnreachable(
                new DataAccessException("Error executing SQL", new SQLException("refused", "08001"))));
        assertTrue(UnexpectedErrorHandler.databaseUnreachable(
                new DataAccessException("x", new SQLException("terminating connection due to administrator command", "57P01"))));
        assertTrue(UnexpectedErrorHandler.databaseUnreachable(
                new RuntimeException(new SQLTransientConnectionException("HikariPool-1 - Connection is not available"))));
        assertTrue(UnexpectedErrorHandler.databaseUnreachable(
                new DataAccessException("x", new SQLException("I/O error", null, new EOFException()))));
    }

    @Test
    void aDatabaseErrorWithoutAKnownStateIsUnavailable() {
        assertTrue(UnexpectedErrorHandler.databaseUnreachable(new DataAccessException("Error executing SQL",
                new SQLException("An unexpected error occurred"))));
        assertTrue(UnexpectedErrorHandler.databaseUnreachable(new DataAccessException("no cause at all")));
    }

    @Test
    void statementAndDataErrorsAreOurBugsNotUnavailability() {
        assertFalse(UnexpectedErrorHandler.databaseUnreachable(
                new DataAccessException("x", new SQLException("syntax error at or near", "42601"))));
        assertFalse(UnexpectedErrorHandler.databaseUnreachable(
                new DataAccessException("x", new SQLException("duplicate key", "23505"))));
        assertFalse(UnexpectedErrorHandler.databaseUnreachable(new IllegalStateException("not a database problem")));
    }
}
