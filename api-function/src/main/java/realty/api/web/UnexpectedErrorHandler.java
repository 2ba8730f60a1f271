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

import java.sql.SQLException;
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
        LOG.error("unexpected error on {} {} (request {})", request.getMethod(), RequestInfo.loggablePath(request), requestId, exception);
        return Problems.response(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "The request could not be completed; quote the X-Request-Id when reporting it.", null));
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
