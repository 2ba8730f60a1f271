package realty.api.web;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders the framework's own errors (malformed JSON, bad argument, missing route, wrong media
 * type, too large, security rejections) as problem documents. Framework messages that could leak
 * internals are replaced by a fixed text per status.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Problem> {

    @Override
    public MutableHttpResponse<Problem> processResponse(ErrorContext context, MutableHttpResponse<?> base) {
        HttpStatus status = base.getStatus();
        Map<String, String> errors = new LinkedHashMap<>();
        String detail = null;
        if (status.getCode() < 500) {
            for (Error e : context.getErrors()) {
                if (e.getPath().isPresent()) {
                    errors.put(e.getPath().get(), e.getMessage());
                } else if (detail == null) {
                    detail = e.getMessage();
                }
            }
        }
        if (detail == null) {
            detail = status.getReason();
        }
        Problem problem = Problems.of(status, status.getReason(), detail, errors);
        return base.<Problem>body(problem).contentType(Problem.MEDIA_TYPE);
    }
}
