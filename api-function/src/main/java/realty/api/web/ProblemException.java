package realty.api.web;

import io.micronaut.http.HttpStatus;

import java.util.Map;

/** An error the API answers with a problem document; thrown by services and observers. */
public class ProblemException extends RuntimeException {
    private final HttpStatus status;
    private final String title;
    private final Map<String, String> errors;

    public ProblemException(HttpStatus status, String title, String detail, Map<String, String> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.errors = errors;
    }

    public static ProblemException badRequest(String detail, Map<String, String> errors) {
        return new ProblemException(HttpStatus.BAD_REQUEST, "Invalid request", detail, errors);
    }

    public static ProblemException unauthorized(String detail) {
        return new ProblemException(HttpStatus.UNAUTHORIZED, "Unauthorized", detail, null);
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(HttpStatus.FORBIDDEN, "Forbidden", detail, null);
    }

    /** Assigning a row to a company the caller does not belong to (spec/domain.md §2.2). */
    public static ProblemException multiTenancyViolation(String detail) {
        return new ProblemException(HttpStatus.FORBIDDEN, "Forbidden", "multi-tenancy violation: " + detail, null);
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(HttpStatus.NOT_FOUND, "Not found", what + " not found", null);
    }

    public static ProblemException conflict(String detail, Map<String, String> errors) {
        return new ProblemException(HttpStatus.CONFLICT, "Conflict", detail, errors);
    }

    public HttpStatus status() {
        return status;
    }

    public Problem toProblem() {
        return Problems.of(status, title, getMessage(), errors);
    }
}
