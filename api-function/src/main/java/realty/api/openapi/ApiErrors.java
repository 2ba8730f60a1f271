package realty.api.openapi;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import realty.api.web.Problem;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The error answers of the API (spec/api.md, conventions) as OpenAPI responses, one annotation per
 * kind, so a controller documents its errors in a word: {@link Authenticated} on a controller
 * class covers its operations, the others go on the methods that can answer them. Every error is a
 * {@link Problem} ({@code application/problem+json}). Source-retained: the processor reads them at
 * compile time through Micronaut's stereotypes; nothing of them reaches the jar's metadata.
 */
public final class ApiErrors {
    private ApiErrors() {
    }

    /** 401 without a valid bearer token, 403 when the caller's profiles do not allow the operation or the row. */
    @Retention(RetentionPolicy.SOURCE)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "401", description = "No bearer token, or an invalid, expired or tampered one",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(value = """
                            {"type": "https://realty.dev/problems/401", "title": "Unauthorized", "status": 401, "detail": "Unauthorized"}""")))
    @ApiResponse(responseCode = "403", description = "The caller's profiles do not allow this (spec/domain.md 2.2)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(value = """
                            {"type": "https://realty.dev/problems/403", "title": "Forbidden", "status": 403,
                             "detail": "your profiles may not create property"}""")))
    public @interface Authenticated {
    }

    /** 400: malformed JSON, a field that fails validation (named in {@code errors}), a bad query value or cursor. */
    @Retention(RetentionPolicy.SOURCE)
    @Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
    @ApiResponse(responseCode = "400", description = "Malformed or invalid input; `errors` names each refused field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(value = """
                            {"type": "https://realty.dev/problems/400", "title": "Bad Request", "status": 400,
                             "detail": "Bad Request", "errors": {"name": "must not be blank"}}""")))
    public @interface Invalid {
    }

    /** 400 as {@link Invalid}, plus 413 (body over 10 MB) and 415 (not JSON) for operations that take a body. */
    @Retention(RetentionPolicy.SOURCE)
    @Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
    @Invalid
    @ApiResponse(responseCode = "413", description = "Request body over 10 MB",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(value = """
                            {"type": "https://realty.dev/problems/413", "title": "Payload Too Large", "status": 413,
                             "detail": "request body over 10 MB"}""")))
    @ApiResponse(responseCode = "415", description = "A content type this operation does not take",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(value = """
                            {"type": "https://realty.dev/problems/415", "title": "Unsupported Media Type", "status": 415,
                             "detail": "Unsupported Media Type"}""")))
    public @interface WithBody {
    }

    /** 404: no such row, or one outside the caller's companies (the API does not tell them apart). */
    @Retention(RetentionPolicy.SOURCE)
    @Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
    @ApiResponse(responseCode = "404", description = "Not found, or outside the caller's companies",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(value = """
                            {"type": "https://realty.dev/problems/404", "title": "Not found", "status": 404, "detail": "agent not found"}""")))
    public @interface NotFound {
    }

    /** 409: a duplicate (e-mail, CNPJ, reference code…) or a row in a state that refuses the change. */
    @Retention(RetentionPolicy.SOURCE)
    @Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
    @ApiResponse(responseCode = "409", description = "Conflict: a duplicate, or a state that refuses the change",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(value = """
                            {"type": "https://realty.dev/problems/409", "title": "Conflict", "status": 409,
                             "detail": "a user with this e-mail already exists"}""")))
    public @interface Conflict {
    }

    /** 422: valid input that a business rule refuses (e.g. a company left without an active owner). */
    @Retention(RetentionPolicy.SOURCE)
    @Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
    @ApiResponse(responseCode = "422", description = "A business rule refuses the request",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(value = """
                            {"type": "https://realty.dev/problems/422", "title": "Business rule violated", "status": 422,
                             "detail": "company 1f0c… would be left without an active owner"}""")))
    public @interface BusinessRule {
    }
}
