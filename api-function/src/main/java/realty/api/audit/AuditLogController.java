package realty.api.audit;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.JsonMapper;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import realty.api.security.Access;
import realty.api.web.Page;
import realty.api.web.PageRequest;
import realty.core.security.Caller;
import realty.core.tenancy.RowScope;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import realty.api.openapi.ApiErrors;

import static realty.api.security.PermissionMatrix.Action.READ;
import static realty.api.security.PermissionMatrix.Resource.AUDIT_LOG;

/** {@code GET /api/v1/audit-logs}: the LGPD audit log of the caller's companies, filtered. Read-only by design. */
@Controller("/api/v1/audit-logs")
@Secured(SecurityRule.IS_AUTHENTICATED)
@Tag(name = "Audit logs", description = "The LGPD audit log of the caller's companies. Read-only.")
@ApiErrors.Authenticated
public class AuditLogController {
    private final AuditLogRepository logs;
    private final JsonMapper json;

    public AuditLogController(AuditLogRepository logs, JsonMapper json) {
        this.logs = logs;
        this.json = json;
    }

    @Serdeable
    public record AuditLogView(UUID id, @Nullable UUID companyId, UUID eventId, String eventType, @Nullable String actorUserId,
                               List<String> actorProfiles, @Nullable String actorSystem, String resourceType, String resourceId,
                               Instant occurredAt, Instant recordedAt, @Nullable String requestId, @Nullable String sourceIp,
                               @Nullable String userAgent, Map<String, Object> data) {
    }

    @Get
    @Operation(operationId = "listAuditLogs", summary = "List audit log entries",
            description = "Owner, director, legal (and the platform admin). Filters: resource, event type, time range (`from`, `to`: ISO-8601 instants).")
    @ApiErrors.Invalid
    public Page<AuditLogView> list(Caller caller, @Nullable @QueryValue String resourceType, @Nullable @QueryValue String resourceId,
                                   @Nullable @QueryValue String eventType, @Nullable @QueryValue Instant from,
                                   @Nullable @QueryValue Instant to, @Nullable @QueryValue Integer limit,
                                   @Nullable @QueryValue String cursor) {
        Access.require(caller, AUDIT_LOG, READ);
        PageRequest page = PageRequest.of(limit, cursor);
        return page.page(logs.list(RowScope.of(caller), page.afterOrMin(), resourceType, resourceId, eventType, from, to,
                page.limit() + 1).stream().map(this::view).toList(), AuditLogView::id);
    }

    @SuppressWarnings("unchecked")
    private AuditLogView view(AuditLogRepository.Row r) {
        try {
            return new AuditLogView(r.id(), r.companyId(), r.eventId(), r.eventType(), r.actorUserId(), List.of(r.actorProfiles()),
                    r.actorSystem(), r.resourceType(), r.resourceId(), r.occurredAt(), r.recordedAt(), r.requestId(), r.sourceIp(),
                    r.userAgent(), json.readValue(r.data(), Map.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
