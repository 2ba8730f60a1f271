package realty.api.audit;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import realty.api.openapi.ApiErrors;
import realty.api.web.Problem;
import realty.api.web.RequestInfo;
import realty.core.security.Caller;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.UUID;

/**
 * {@code /api/v1/audit-logs/exports}: the audit log of a range too large for one response
 * ({@code GET /audit-logs/export} stops at 5 MB), written to a file by the housekeeping function and
 * downloaded once READY (docs/operations.md, "Exporting the audit log").
 */
@Controller("/api/v1/audit-logs/exports")
@Secured(SecurityRule.IS_AUTHENTICATED)
@Tag(name = "Audit logs")
@ApiErrors.Authenticated
public class AuditExportController {
    private final AuditExportService exports;

    public AuditExportController(AuditExportService exports) {
        this.exports = exports;
    }

    @Post
    @Operation(operationId = "requestAuditExport", summary = "Request an audit log export as a file",
            description = "Owner and legal. The rows of [`from`, `to`) of one company (`companyId` when the caller has several), "
                    + "NDJSON (default) or CSV, written in the background; poll the `Location` until `status` is READY. "
                    + "The requester gets an e-mail when it is ready. At most 5 unfinished exports per company (422).")
    @ApiResponse(responseCode = "202", description = "Accepted: PENDING, with the events", useReturnTypeSchema = true,
            headers = @Header(name = "Location", description = "The export's status: GET /api/v1/audit-logs/exports/{id}"))
    @ApiErrors.WithBody
    @ApiErrors.BusinessRule
    public HttpResponse<AuditExportView> request(Caller caller, @Body @Valid CreateAuditExportRequest body, HttpRequest<?> request) {
        AuditExportView view = exports.request(caller, body, RequestInfo.of(request));
        return HttpResponse.<AuditExportView>status(HttpStatus.ACCEPTED).body(view)
                .header("Location", AuditExportService.PATH + view.id());
    }

    @Get("/{id}")
    @Operation(operationId = "getAuditExport", summary = "An audit log export's state and, once READY, its download URL",
            description = "Owner and legal of the export's company. When READY, `downloadUrl` is a URL valid for 15 minutes "
                    + "(a presigned S3 URL in AWS, taken without the bearer token; locally the `fileUrl` of the API, taken with it); "
                    + "each URL issued is audited. EXPIRED once the file is gone (7 days).")
    @ApiErrors.NotFound
    public AuditExportView get(Caller caller, @PathVariable UUID id, HttpRequest<?> request) {
        return exports.get(caller, id, RequestInfo.of(request));
    }

    @Get("/{id}/file")
    @Operation(operationId = "downloadAuditExport", summary = "Download a ready audit log export",
            description = "Owner and legal. In AWS a 303 to a fresh presigned S3 URL; where the archive is a local folder "
                    + "(scripts/local.sh) the file itself. Audited.")
    @ApiResponse(responseCode = "200", description = "The file (local archive)",
            content = {@Content(mediaType = "application/x-ndjson", schema = @Schema(type = "string", format = "binary")),
                    @Content(mediaType = "text/csv", schema = @Schema(type = "string", format = "binary"))})
    @ApiResponse(responseCode = "303", description = "See the presigned S3 URL in `Location` (AWS)",
            headers = @Header(name = "Location", description = "The presigned URL, valid 15 minutes"))
    @ApiErrors.NotFound
    @ApiErrors.Conflict
    @ApiResponse(responseCode = "410", description = "The file expired (7 days) or is gone",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HttpResponse<byte[]> file(Caller caller, @PathVariable UUID id, HttpRequest<?> request) {
        AuditExportService.Download d = exports.download(caller, id, RequestInfo.of(request));
        if (d.redirect() != null) {
            return HttpResponse.<byte[]>status(HttpStatus.SEE_OTHER).header("Location", d.redirect().toString());
        }
        try {
            // The local run's archive only: a Lambda response is buffered whole, which AWS never asks of it (303 above).
            return HttpResponse.ok(Files.readAllBytes(d.file())).contentType(d.format().contentType + "; charset=utf-8")
                    .header("Content-Disposition", "attachment; filename=\"" + d.fileName() + "\"");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
