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
import java.util.Optional;
import java.util.UUID;

/** Requests of the asynchronous audit export (V16); the housekeeping function's AuditExportWorker runs them. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AuditExportRepository extends GenericRepository<AuditExportRepository.AuditExportRow, UUID> {

    /** The table's key, so the repository has an entity to bind the scope expressions against. */
    @MappedEntity("audit_exports")
    record AuditExportRow(@Id UUID id) {
    }

    @Introspected
    record Row(UUID id, UUID companyId, @Nullable UUID requestedBy, Instant rangeFrom, Instant rangeTo, String format, String status,
               @Nullable String objectKey, @Nullable Long bytes, @Nullable Long rowCount, @Nullable String error, Instant createdAt,
               @Nullable Instant finishedAt, @Nullable Instant expiresAt) {
    }

    @Query("""
            INSERT INTO audit_exports (id, company_id, requested_by, range_from, range_to, format, status, created_at)
            VALUES (:id, :companyId, :requestedBy, :from, :to, :format, 'PENDING', :createdAt)""")
    void insert(UUID id, UUID companyId, @Nullable UUID requestedBy, Instant from, Instant to, String format, Instant createdAt);

    /** By id through the primary key, within the caller's companies (an id of another company is not found). */
    @Scoped
    @Query("""
            SELECT e.id, e.company_id, e.requested_by, e.range_from, e.range_to, e.format, e.status, e.object_key, e.bytes,
                   e.row_count, e.error, e.created_at, e.finished_at, e.expires_at
            FROM audit_exports e WHERE e.id = :id AND (:allCompanies OR e.company_id = ANY(CAST(:companies AS uuid[])))""")
    Optional<Row> find(RowScope scope, UUID id);

    /** The company's exports still PENDING or RUNNING, through audit_exports_open. */
    @Scoped
    @Query("""
            SELECT count(*) FROM audit_exports e WHERE e.company_id = :companyId AND e.status IN ('PENDING', 'RUNNING')
              AND (:allCompanies OR e.company_id = ANY(CAST(:companies AS uuid[])))""")
    long countOpen(RowScope scope, UUID companyId);
}
