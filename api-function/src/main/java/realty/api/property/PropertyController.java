package realty.api.property;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotNull;
import realty.api.web.Page;
import realty.api.web.PageRequest;
import realty.api.web.RequestInfo;
import realty.core.outbox.EventRef;
import realty.core.security.Caller;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import realty.api.openapi.ApiErrors;

/** {@code /api/v1/properties}: properties, their import and their agent assignments. */
@Controller("/api/v1/properties")
@Secured(SecurityRule.IS_AUTHENTICATED)
@Tag(name = "Properties", description = "Properties for sale or rent, their bulk import and their agent assignments.")
@ApiErrors.Authenticated
public class PropertyController {
    private final PropertyService properties;
    private final PropertyImport importer;
    private final AssignmentService assignments;

    public PropertyController(PropertyService properties, PropertyImport importer, AssignmentService assignments) {
        this.properties = properties;
        this.importer = importer;
        this.assignments = assignments;
    }

    @Post
    @Operation(operationId = "createProperty", summary = "Create a property",
            description = "Per the matrix (owner, director, manager; agents and prospectors too). A prospector creating one is recorded as its prospector (ProspectorAutoAssign).")
    @ApiResponse(responseCode = "201", description = "The property, with its events", useReturnTypeSchema = true)
    @ApiErrors.WithBody
    @ApiErrors.Conflict
    @ApiErrors.BusinessRule
    public HttpResponse<PropertyView> create(Caller caller, @Body PropertyInput body, HttpRequest<?> request) {
        return HttpResponse.created(properties.create(caller, body, RequestInfo.of(request)));
    }

    @Get
    @Operation(operationId = "listProperties", summary = "List properties",
            description = "Optionally of one company and one status. Agents, prospectors and portal users see their own.")
    @ApiErrors.Invalid
    public Page<PropertyView> list(Caller caller, @Nullable @QueryValue UUID companyId, @Nullable @QueryValue String status,
                                   @Nullable @QueryValue Integer limit, @Nullable @QueryValue String cursor) {
        return properties.list(caller, PageRequest.of(limit, cursor), companyId, status);
    }

    @Get("/{id}")
    @Operation(operationId = "getProperty", summary = "Get a property")
    @ApiErrors.NotFound
    public PropertyView get(Caller caller, @PathVariable UUID id) {
        return properties.get(caller, id);
    }

    @Patch("/{id}")
    @Operation(operationId = "updateProperty", summary = "Update a property",
            description = "Fields left out keep their value.")
    @ApiErrors.WithBody
    @ApiErrors.NotFound
    @ApiErrors.Conflict
    public PropertyView update(Caller caller, @PathVariable UUID id, @Body PropertyInput body, HttpRequest<?> request) {
        return properties.update(caller, id, body, RequestInfo.of(request));
    }

    @Delete("/{id}")
    @Operation(operationId = "deleteProperty", summary = "Delete a property",
            description = "Answers the events it emitted: `{\"events\": [...]}`.")
    @ApiErrors.NotFound
    @ApiErrors.Conflict
    public Map<String, List<EventRef>> delete(Caller caller, @PathVariable UUID id, HttpRequest<?> request) {
        return Map.of("events", properties.delete(caller, id, RequestInfo.of(request)));
    }

    @Post("/import")
    @Operation(operationId = "importProperties", summary = "Import properties",
            description = "Owner, director, manager. A JSON array of properties or a CSV file with a header row, at most 10,000 rows; all or nothing. A 400 names the bad rows in `errors` (`row 3.price` → message).")
    @RequestBody(required = true, content = {
                @Content(mediaType = MediaType.APPLICATION_JSON, array = @ArraySchema(schema = @Schema(implementation = PropertyInput.class))),
                @Content(mediaType = "text/csv", schema = @Schema(type = "string",
                        example = "referenceCode,title,type,status,price,forSale,address\nAP-101,Flat downtown,apartment,available,450000.00,true,Rua XV 100"))})
    @ApiResponse(responseCode = "201", description = "How many were imported, their ids and the events", useReturnTypeSchema = true)
    @ApiErrors.WithBody
    @ApiErrors.Conflict
    @Consumes({MediaType.APPLICATION_JSON, "text/csv"})
    public HttpResponse<PropertyImport.ImportResult> importProperties(Caller caller, @Nullable @QueryValue UUID companyId,
                                                                      @Header(HttpHeaders.CONTENT_TYPE) String contentType,
                                                                      @Body byte[] body, HttpRequest<?> request) {
        return HttpResponse.created(importer.importRows(caller, companyId, contentType, body, RequestInfo.of(request)));
    }

    @Serdeable
    @Schema(example = """
            {"agentId": "7d4c2a8e-0b7e-4d1e-9a53-2f1f0b6c9e11", "responsibility": "secondary"}""")
    public record AssignRequest(@NotNull UUID agentId, @Nullable String responsibility) {
    }

    @Serdeable
    @Schema(example = """
            {"responsibility": "support", "active": true}""")
    public record AssignmentPatch(@Nullable String responsibility, @Nullable Boolean active) {
    }

    @Get("/{id}/assignments")
    @Operation(operationId = "listAssignments", summary = "Agents assigned to a property")
    @ApiErrors.NotFound
    public List<AssignmentService.AssignmentView> assignments(Caller caller, @PathVariable UUID id) {
        return assignments.list(caller, id);
    }

    @Post("/{id}/assignments")
    @Operation(operationId = "assignAgent", summary = "Assign an agent to a property",
            description = "`responsibility` defaults to `primary`.")
    @ApiResponse(responseCode = "201", description = "The assignment", useReturnTypeSchema = true)
    @ApiErrors.WithBody
    @ApiErrors.NotFound
    public HttpResponse<AssignmentService.AssignmentView> assign(Caller caller, @PathVariable UUID id,
                                                                 @Body @jakarta.validation.Valid AssignRequest body, HttpRequest<?> request) {
        return HttpResponse.created(assignments.assign(caller, id, body.agentId(),
                body.responsibility() == null ? "primary" : body.responsibility(), RequestInfo.of(request)));
    }

    @Patch("/{id}/assignments/{agentId}")
    @Operation(operationId = "updateAssignment", summary = "Update an assignment",
            description = "Change the responsibility or deactivate it.")
    @ApiErrors.WithBody
    @ApiErrors.NotFound
    public AssignmentService.AssignmentView updateAssignment(Caller caller, @PathVariable UUID id, @PathVariable UUID agentId,
                                                             @Body AssignmentPatch body, HttpRequest<?> request) {
        return assignments.update(caller, id, agentId, body.responsibility(), body.active(), RequestInfo.of(request));
    }

    @Delete("/{id}/assignments/{agentId}")
    @Operation(operationId = "unassignAgent", summary = "Remove an assignment",
            description = "Answers the events it emitted: `{\"events\": [...]}`.")
    @ApiErrors.NotFound
    public Map<String, List<EventRef>> unassign(Caller caller, @PathVariable UUID id, @PathVariable UUID agentId, HttpRequest<?> request) {
        return Map.of("events", assignments.remove(caller, id, agentId, RequestInfo.of(request)));
    }
}
