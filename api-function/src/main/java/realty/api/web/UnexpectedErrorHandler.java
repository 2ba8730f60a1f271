package realty.api.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anything unexpected answers a bare 500 problem: never a stack trace, never a SQL message. The
 * details go to the log under the request id the client also received.
 */
@Singleton
public class UnexpectedErrorHandler implements ExceptionHandler<RuntimeException, HttpResponse<Problem>> {
    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedErrorHandler.class);

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, RuntimeException exception) {
        LOG.error("unexpected error on {} {} (request {})", request.getMethod(), request.getPath(),
                RequestInfo.of(request).requestId(), exception);
        return Problems.response(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "The request could not be completed; quote the X-Request-Id when reporting it.", null));
    }
}
