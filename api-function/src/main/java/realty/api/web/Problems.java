package realty.api.web;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;

import java.util.Map;

/** Builds problem documents and responses; the type URI names the status. */
public final class Problems {
    private Problems() {
    }

    public static Problem of(HttpStatus status, String title, String detail, Map<String, String> errors) {
        return new Problem("https://realty.dev/problems/" + status.getCode(), title, status.getCode(), detail,
                errors == null || errors.isEmpty() ? null : errors);
    }

    public static MutableHttpResponse<Problem> response(Problem problem) {
        return HttpResponse.<Problem>status(HttpStatus.valueOf(problem.status()))
                .body(problem)
                .contentType(Problem.MEDIA_TYPE);
    }
}
