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
        return Problems.response(exception.toProblem());
    }
}
