package realty.api.web;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
            Optional<StrictJson.InvalidField> invalid = StrictJson.InvalidField.in(context.getRootCause().orElse(null));
            if (invalid.isPresent()) {
                // a refused JSON value: name the field rather than the framework's wrapped message
                invalid.get().field().ifPresent(field -> errors.put(field, invalid.get().reason()));
                detail = invalid.get().getMessage();
            }
            for (ConstraintViolation<?> violation : violations(context)) {
                errors.put(fieldOf(violation), violation.getMessage());
            }
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

    private static Set<ConstraintViolation<?>> violations(ErrorContext context) {
        return context.getRootCause().filter(ConstraintViolationException.class::isInstance)
                .map(e -> ((ConstraintViolationException) e).getConstraintViolations())
                .orElse(Set.of());
    }

    /** {@code create.request.password} → {@code password}: the path below the method argument. */
    private static String fieldOf(ConstraintViolation<?> violation) {
        StringBuilder field = new StringBuilder();
        int depth = 0;
        for (Path.Node node : violation.getPropertyPath()) {
            if (depth++ < 2 && (node.getKind() == jakarta.validation.ElementKind.METHOD
                    || node.getKind() == jakarta.validation.ElementKind.PARAMETER)) {
                continue;
            }
            if (!field.isEmpty()) {
                field.append('.');
            }
            field.append(node.getName());
        }
        return field.isEmpty() ? violation.getPropertyPath().toString() : field.toString();
    }
}
