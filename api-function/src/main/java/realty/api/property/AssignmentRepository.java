package realty.api.property;

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
import java.util.Optional;
import java.util.UUID;

/** Agents assigned to a property (property_assignments). */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AssignmentRepository extends GenericRepository<AssignmentRepository.Assignment, UUID> {

    /** The table, so the repository has an entity to bind the scope expressions against (its key is composite). */
    @MappedEntity("property_assignments")
    record Assignment(@Id UUID propertyId) {
    }

    @Introspected
    record Row(UUID propertyId, UUID agentId, String responsibility, boolean active, Instant createdAt) {
    }

    String COLUMNS = "SELECT pa.property_id, pa.agent_id, pa.responsibility, pa.active, pa.created_at FROM property_assignments pa ";
    String SCOPE = "(:allCompanies OR pa.company_id = ANY(CAST(:companies AS uuid[])))";

    @Scoped
    @Query(COLUMNS + "WHERE pa.property_id = :propertyId AND " + SCOPE + " ORDER BY pa.agent_id")
    List<Row> list(RowScope scope, UUID propertyId);

    @Scoped
    @Query(COLUMNS + "WHERE pa.property_id = :propertyId AND pa.agent_id = :agentId AND " + SCOPE)
    Optional<Row> find(RowScope scope, UUID propertyId, UUID agentId);

    /** Assigns, or reactivates with the new responsibility; the company is the property's, which the caller has just read. */
    @Query("""
            INSERT INTO property_assignments (property_id, agent_id, company_id, responsibility) VALUES (:propertyId, :agentId, :companyId, :responsibility)
            ON CONFLICT (property_id, agent_id) DO UPDATE SET responsibility = EXCLUDED.responsibility, active = true""")
    void upsert(UUID propertyId, UUID agentId, UUID companyId, String responsibility);

    @Scoped
    @Query("UPDATE property_assignments pa SET responsibility = COALESCE(CAST(:responsibility AS text), responsibility), "
            + "active = COALESCE(CAST(:active AS boolean), active) WHERE pa.property_id = :propertyId AND pa.agent_id = :agentId AND " + SCOPE)
    int update(RowScope scope, UUID propertyId, UUID agentId, @Nullable String responsibility, @Nullable Boolean active);

    @Scoped
    @Query("DELETE FROM property_assignments pa WHERE pa.property_id = :propertyId AND pa.agent_id = :agentId AND " + SCOPE)
    int delete(RowScope scope, UUID propertyId, UUID agentId);
}
