package realty.api.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.data.connection.exceptions.ConnectionException;
import io.micronaut.data.connection.jdbc.exceptions.CannotGetJdbcConnectionException;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.SQLException;
import java.util.Map;
import java.sql.SQLTransientConnectionException;

/**
 * Anything unexpected answers a bare 500 problem: never a stack trace, never a SQL message. The
 * details go to the log under the request id the client also received.
 *
 * <p>An unreachable database is not unexpected: it answers 503 with {@code Retry-After}, as
 * {@code /health} does, so clients and API Gateway retry instead of reporting a server fault.
 */
@Singleton
public class UnexpectedErrorHandler implements ExceptionHandler<RuntimeException, HttpResponse<Problem>> {
    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedErrorHandler.class);
    /** Seconds a client should wait before retrying while the database is unreachable. */
    static final String RETRY_AFTER_SECONDS = "5";

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, RuntimeException exception) {
        String requestId = RequestInfo.of(request).requestId();
        if (databaseUnavailable(exception)) {
            LOG.warn("database unavailable on {} {} (request {}): {}", request.getMethod(), RequestInfo.loggablePath(request), requestId,
                    exception.toString());
            return Problems.response(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable",
                            "The database is unreachable; retry later.", null))
                    .header("Retry-After", RETRY_AFTER_SECONDS);
        }
        if (SqlState.CHECK_VIOLATION.of(exception)) {
            // A value the request validation let through but a CHECK constraint refuses, e.g. a name of
            // control characters that String.trim() empties (HostileInputFuzzTest found it): bad input, not a fault.
            String field = checkedField(exception);
            LOG.warn("check constraint refused a value on {} {} (request {}): {}", request.getMethod(), RequestInfo.loggablePath(request),
                    requestId, field);
            return Problems.response(Problems.of(HttpStatus.BAD_REQUEST, "Invalid value",
                    "A value is outside what its field accepts (for example empty once surrounding spaces and control characters "
                            + "are removed, or too long).", field == null ? null : Map.of(field, "outside the accepted values")));
        }
        LOG.error("unexpected error on {} {} (request {})", request.getMethod(), RequestInfo.loggablePath(request), requestId, exception);
        return Problems.response(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "The request could not be completed; quote the X-Request-Id when reporting it.", null));
    }

    /**
     * The request field a violated CHECK constraint guards, from PostgreSQL's default constraint name
     * {@code <table>_<column>_check} (e.g. properties_reference_code_check → referenceCode); null when
     * the name does not say.
     */
    static String checkedField(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof PSQLException p && p.getServerErrorMessage() != null) {
                ServerErrorMessage m = p.getServerErrorMessage();
                String constraint = m.getConstraint();
                String table = m.getTable();
                if (constraint == null || table == null || !constraint.startsWith(table + "_") || !constraint.endsWith("_check")) {
                    return null;
                }
                String column = constraint.substring(table.length() + 1, constraint.length() - "_check".length());
                StringBuilder camel = new StringBuilder();
                for (String part : column.split("_")) {
                    if (part.isEmpty()) {
                        continue;
                    }
                    camel.append(camel.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
                }
                return camel.length() == 0 ? null : camel.toString();
            }
        }
        return null;
    }

    /**
     * No connection could be had or prepared (the pool timed out, micronaut-data could not set up the
     * connection it got because the pool had just found it broken) or the server went away: SQLSTATE
     * class 08 (connection exception) and 57P01–57P03 (shut down, crashed, not accepting connections yet).
     */
    static boolean databaseUnavailable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof ConnectionException
                    || t instanceof CannotGetJdbcConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().matches("57P0[123]"))) {
                return true;
            }
        }
        return false;
    }
}
