package realty.api.web;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

@Singleton
@Requires(classes = ProblemException.class)
public class ProblemExceptionHandler implements ExceptionHandler<ProblemException, HttpResponse<Problem>> {
    @Override
    public HttpResponse<Problem> handle(HttpRequest request, ProblemException exception) {
        int status = exception.status().getCode();
        if (status == 401 || status == 403 || status == 404) {
            request.setAttribute(realty.api.security.AccessDeniedAudit.DENIED, exception.getMessage());
        }
        return Problems.response(exception.toProblem());
    }
}
