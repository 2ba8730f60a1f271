package realty.api.audit;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.JsonMapper;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import realty.api.security.Access;
import realty.api.web.Page;
import realty.api.web.PageRequest;
import realty.core.security.Caller;
import realty.core.tenancy.TenantJdbc;
import realty.core.tenancy.TenantScope;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static realty.api.security.PermissionMatrix.Action.READ;
import static realty.api.security.PermissionMatrix.Resource.AUDIT_LOG;

/** {@code GET /api/v1/audit-logs}: the LGPD audit log of the caller's companies, filtered. Read-only by design. */
@Controller("/api/v1/audit-logs")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class AuditLogController {
    private final TransactionOperations<Connection> tx;
    private final TenantJdbc jdbc;
    private final JsonMapper json;

    public AuditLogController(TransactionOperations<Connection> tx, TenantJdbc jdbc, JsonMapper json) {
        this.tx = tx;
        this.jdbc = jdbc;
        this.json = json;
    }

    @Serdeable
    public record AuditLogView(UUID id, @Nullable UUID companyId, UUID eventId, String eventType, @Nullable String actorUserId,
                               List<String> actorProfiles, @Nullable String actorSystem, String resourceType, String resourceId,
                               Instant occurredAt, Instant recordedAt, @Nullable String requestId, @Nullable String sourceIp,
                               @Nullable String userAgent, Map<String, Object> data) {
    }

    @Get
    @SuppressWarnings("unchecked")
    public Page<AuditLogView> list(Caller caller, @Nullable @QueryValue String resourceType, @Nullable @QueryValue String resourceId,
                                   @Nullable @QueryValue String eventType, @Nullable @QueryValue Instant from,
                                   @Nullable @QueryValue Instant to, @Nullable @QueryValue Integer limit,
                                   @Nullable @QueryValue String cursor) {
        Access.require(caller, AUDIT_LOG, READ);
        PageRequest page = PageRequest.of(limit, cursor);
        return page.page(tx.executeRead(s -> jdbc.list(s.getConnection(), TenantScope.of(caller), """
                        SELECT l.id, l.company_id, l.event_id, l.event_type, l.actor_user_id, l.actor_profiles, l.actor_system,
                               l.resource_type, l.resource_id, l.occurred_at, l.recorded_at, l.request_id, l.source_ip, l.user_agent,
                               l.data::text
                        FROM audit_logs l
                        WHERE {scope:l} AND l.id > ? AND (?::text IS NULL OR l.resource_type = ?::text)
                          AND (?::text IS NULL OR l.resource_id = ?::text) AND (?::text IS NULL OR l.event_type = ?::text)
                          AND (?::timestamptz IS NULL OR l.occurred_at >= ?::timestamptz)
                          AND (?::timestamptz IS NULL OR l.occurred_at < ?::timestamptz)
                        ORDER BY l.id LIMIT ?""",
                rs -> {
                    try {
                        return new AuditLogView(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                                rs.getString(4), rs.getString(5), List.of((String[]) rs.getArray(6).getArray()), rs.getString(7),
                                rs.getString(8), rs.getString(9), rs.getTimestamp(10).toInstant(), rs.getTimestamp(11).toInstant(),
                                rs.getString(12), rs.getString(13), rs.getString(14), json.readValue(rs.getString(15), Map.class));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                page.afterOrMin(), resourceType, resourceType, resourceId, resourceId, eventType, eventType,
                ts(from), ts(from), ts(to), ts(to), page.limit() + 1)), AuditLogView::id);
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
