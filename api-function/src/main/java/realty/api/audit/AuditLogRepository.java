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

    @Scoped
    @Query("""
            SELECT l.id, l.company_id, l.event_id, l.event_type, l.actor_user_id, l.actor_profiles, l.actor_system,
                   l.resource_type, l.resource_id, l.occurred_at, l.recorded_at, l.request_id, l.source_ip, l.user_agent,
                   CAST(l.data AS text) AS data
            FROM audit_logs l
            WHERE (:allCompanies OR l.company_id = ANY(CAST(:companies AS uuid[]))) AND l.id > :after
              AND (CAST(:resourceType AS text) IS NULL OR l.resource_type = CAST(:resourceType AS text))
              AND (CAST(:resourceId AS text) IS NULL OR l.resource_id = CAST(:resourceId AS text))
              AND (CAST(:eventType AS text) IS NULL OR l.event_type = CAST(:eventType AS text))
              AND (CAST(:from AS timestamptz) IS NULL OR l.occurred_at >= CAST(:from AS timestamptz))
              AND (CAST(:to AS timestamptz) IS NULL OR l.occurred_at < CAST(:to AS timestamptz))
            ORDER BY l.id LIMIT :limit""")
    List<Row> list(RowScope scope, UUID after, @Nullable String resourceType, @Nullable String resourceId,
                   @Nullable String eventType, @Nullable Instant from, @Nullable Instant to, int limit);
}
