package realty.api.openapi;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/v1/openapi.yml}: the OpenAPI document the build wrote from the controllers
 * (docs/api.md). It is read from the jar when asked for, so it costs the cold start nothing.
 */
@Controller("/api/v1/openapi.yml")
@Secured(SecurityRule.IS_ANONYMOUS)
@Tag(name = "Documentation")
public class OpenApiController {
    /** Where micronaut-openapi writes the document (openapi.properties: micronaut.openapi.filename). */
    public static final String RESOURCE = "/META-INF/swagger/openapi.yml";
    public static final String MEDIA_TYPE = "application/yaml";

    @Get(produces = MEDIA_TYPE)
    @Operation(operationId = "openApiDocument", summary = "This OpenAPI document",
            description = "The API's contract, generated at build time from its controllers. Public.")
    @ApiResponse(responseCode = "200", description = "The document (OpenAPI 3, YAML)",
            content = @Content(mediaType = MEDIA_TYPE, schema = @Schema(type = "string")))
    public HttpResponse<byte[]> document() {
        try (InputStream in = OpenApiController.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                // only a build without the annotation processor gets here
                return HttpResponse.notFound();
            }
            return HttpResponse.ok(in.readAllBytes()).contentType(MEDIA_TYPE).header("Cache-Control", "no-cache");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
