package realty.api.admin;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The operator page: static HTML and JavaScript, public like any login page. It holds no data;
 * everything it shows comes from {@code /api/v1/admin/*} with the bearer token the operator gets
 * by logging in on it.
 */
@Controller("/admin")
@Secured(SecurityRule.IS_ANONYMOUS)
@Tag(name = "Pages", description = "HTML pages served beside the API (no token needed to load them).")
public class AdminPageController {
    private static final Map<String, String> ASSETS = Map.of(
            "admin.js", "application/javascript; charset=utf-8",
            "admin.css", "text/css; charset=utf-8");
    /** The page only talks to its own origin and runs only its own script. */
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    @Get(produces = MediaType.TEXT_HTML)
    @Operation(operationId = "adminPage", summary = "Operator page",
            description = "The queue-health and dead-letter page; it logs in and calls `/api/v1/admin/*` with the token.")
    public HttpResponse<String> page() {
        return asset("index.html", "text/html; charset=utf-8");
    }

    @Get("/{name}")
    @Operation(operationId = "adminPageAsset", summary = "Operator page asset",
            description = "`admin.js` or `admin.css`; 404 for any other name.")
    @ApiResponse(responseCode = "200", description = "The script or style sheet", content = {
                @Content(mediaType = "application/javascript", schema = @Schema(type = "string")),
                @Content(mediaType = "text/css", schema = @Schema(type = "string"))})
    @ApiResponse(responseCode = "404", description = "No such asset")
    public HttpResponse<String> asset(@PathVariable String name) {
        String type = ASSETS.get(name);
        return type == null ? HttpResponse.notFound() : asset(name, type);
    }

    private static HttpResponse<String> asset(String name, String type) {
        try (InputStream in = AdminPageController.class.getResourceAsStream("/admin/" + name)) {
            if (in == null) {
                return HttpResponse.notFound();
            }
            return HttpResponse.ok(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .header("Content-Type", type)
                    .header("Content-Security-Policy", CSP)
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Cache-Control", "no-cache");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
