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

/** {@code /api/v1/properties}: properties, their import and their agent assignments. */
@Controller("/api/v1/properties")
@Secured(SecurityRule.IS_AUTHENTICATED)
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
    public HttpResponse<PropertyView> create(Caller caller, @Body PropertyInput body, HttpRequest<?> request) {
        return HttpResponse.created(properties.create(caller, body, RequestInfo.of(request)));
    }

    @Get
    public Page<PropertyView> list(Caller caller, @Nullable @QueryValue UUID companyId, @Nullable @QueryValue String status,
                                   @Nullable @QueryValue Integer limit, @Nullable @QueryValue String cursor) {
        return properties.list(caller, PageRequest.of(limit, cursor), companyId, status);
    }

    @Get("/{id}")
    public PropertyView get(Caller caller, @PathVariable UUID id) {
        return properties.get(caller, id);
    }

    @Patch("/{id}")
    public PropertyView update(Caller caller, @PathVariable UUID id, @Body PropertyInput body, HttpRequest<?> request) {
        return properties.update(caller, id, body, RequestInfo.of(request));
    }

    @Delete("/{id}")
    public Map<String, List<EventRef>> delete(Caller caller, @PathVariable UUID id, HttpRequest<?> request) {
        return Map.of("events", properties.delete(caller, id, RequestInfo.of(request)));
    }

    @Post("/import")
    @Consumes({MediaType.APPLICATION_JSON, "text/csv"})
    public HttpResponse<PropertyImport.ImportResult> importProperties(Caller caller, @Nullable @QueryValue UUID companyId,
                                                                      @Header(HttpHeaders.CONTENT_TYPE) String contentType,
                                                                      @Body byte[] body, HttpRequest<?> request) {
        return HttpResponse.created(importer.importRows(caller, companyId, contentType, body, RequestInfo.of(request)));
    }

    @Serdeable
    public record AssignRequest(@NotNull UUID agentId, @Nullable String responsibility) {
    }

    @Serdeable
    public record AssignmentPatch(@Nullable String responsibility, @Nullable Boolean active) {
    }

    @Get("/{id}/assignments")
    public List<AssignmentService.AssignmentView> assignments(Caller caller, @PathVariable UUID id) {
        return assignments.list(caller, id);
    }

    @Post("/{id}/assignments")
    public HttpResponse<AssignmentService.AssignmentView> assign(Caller caller, @PathVariable UUID id,
                                                                 @Body @jakarta.validation.Valid AssignRequest body, HttpRequest<?> request) {
        return HttpResponse.created(assignments.assign(caller, id, body.agentId(),
                body.responsibility() == null ? "primary" : body.responsibility(), RequestInfo.of(request)));
    }

    @Patch("/{id}/assignments/{agentId}")
    public AssignmentService.AssignmentView updateAssignment(Caller caller, @PathVariable UUID id, @PathVariable UUID agentId,
                                                             @Body AssignmentPatch body, HttpRequest<?> request) {
        return assignments.update(caller, id, agentId, body.responsibility(), body.active(), RequestInfo.of(request));
    }

    @Delete("/{id}/assignments/{agentId}")
    public Map<String, List<EventRef>> unassign(Caller caller, @PathVariable UUID id, @PathVariable UUID agentId, HttpRequest<?> request) {
        return Map.of("events", assignments.remove(caller, id, agentId, RequestInfo.of(request)));
    }
}
