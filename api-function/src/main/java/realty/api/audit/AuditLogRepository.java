package realty.api.audit;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import realty.core.tenancy.RowScope;
import realty.core.tenancy.Scoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The audit log, read only: rows are written by the audit function. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AuditLogRepository extends GenericRepository<AuditLogRepository.AuditLog, UUID> {

    /** The table's key, so the repository has an entity to bind the scope expressions against. */
    @MappedEntity("audit_logs")
    record AuditLog(@Id UUID id) {
    }

    /** A row with its JSON data as text and its profiles as an array, turned into the view by the controller. */
    @Introspected
    record Row(UUID id, @Nullable UUID companyId, UUID eventId, String eventType, @Nullable String actorUserId,
               String[] actorProfiles, @Nullable String actorSystem, String resourceType, String resourceId, Instant occurredAt,
               Instant recordedAt, @Nullable String requestId, @Nullable String sourceIp, @Nullable String userAgent, String data) {
    }

    /** The list's filters, the same in both branches below. */
    String FILTERS = """
              AND (l.occurred_at, l.id) > (CAST(:afterAt AS timestamptz), CAST(:afterId AS uuid))
              AND l.occurred_at < CAST(:before AS timestamptz)
              AND (CAST(:resourceType AS text) IS NULL OR l.resource_type = CAST(:resourceType AS text))
              AND (CAST(:resourceId AS text) IS NULL OR l.resource_id = CAST(:resourceId AS text))
              AND (CAST(:eventType AS text) IS NULL OR l.event_type = CAST(:eventType AS text))
            """;
    String COLUMNS = """
            l.id, l.company_id, l.event_id, l.event_type, l.actor_user_id, l.actor_profiles, l.actor_system,
            l.resource_type, l.resource_id, l.occurred_at, l.recorded_at, l.request_id, l.source_ip, l.user_agent,
            CAST(l.data AS text) AS data
            """;

    /**
     * One page in time order, after the cursor (occurred_at, id), before {@code before}. Every company
     * of the scope is read through its own range of audit_logs_company_time with its own LIMIT and the
     * few rows merged, so a page costs the same whatever the table's size or statistics; the platform
     * admin's branch walks audit_logs_time. Each branch runs only for its kind of scope.
     */
    @Scoped
    @Query("SELECT p.* FROM ((SELECT " + COLUMNS + " FROM audit_logs l WHERE :allCompanies " + FILTERS
            + " ORDER BY l.occurred_at, l.id LIMIT :limit)"
            + " UNION ALL (SELECT x.* FROM unnest(CAST(:companies AS uuid[])) AS c(company_id) CROSS JOIN LATERAL (SELECT "
            + COLUMNS + " FROM audit_logs l WHERE l.company_id = c.company_id"
            + " AND (:allCompanies OR l.company_id = ANY(CAST(:companies AS uuid[]))) " + FILTERS
            + " ORDER BY l.occurred_at, l.id LIMIT :limit) x WHERE NOT :allCompanies)) p ORDER BY p.occurred_at, p.id LIMIT :limit")
    List<Row> list(RowScope scope, Instant afterAt, UUID afterId, Instant before, @Nullable String resourceType,
                   @Nullable String resourceId, @Nullable String eventType, int limit);
}
