package realty.api.agent;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import realty.core.tenancy.RowScope;
import realty.core.tenancy.Scoped;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Agents of the caller's companies. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AgentRepository extends GenericRepository<Agent, UUID> {
    String COLUMNS = "SELECT a.id, a.company_id, a.user_id, a.name, a.cpf, a.creci, a.active, a.created_at FROM agents a ";
    String SCOPE = "(:allCompanies OR a.company_id = ANY(CAST(:companies AS uuid[])))";

    @Query("INSERT INTO agents (id, company_id, user_id, name, cpf, creci) VALUES (:id, :companyId, :userId, :name, :cpf, :creci)")
    void insert(UUID id, UUID companyId, @Nullable UUID userId, String name, @Nullable String cpf, @Nullable String creci);

    @Scoped
    @Query(COLUMNS + "WHERE a.id = :id AND " + SCOPE)
    Optional<AgentView> find(RowScope scope, UUID id);

    /**
     * A page in id order after {@code :after}: each company's page from agents_company (a LATERAL per
     * company, as in GET /sales) merged, or the primary key walked for the platform admin without a
     * company. Each branch runs only for its kind of scope (local: HotPathPlansTest).
     */
    @Scoped
    @Query("SELECT x.* FROM ((" + COLUMNS + "WHERE :allCompanies AND CAST(:companyId AS uuid) IS NULL AND a.id > :after"
            + " ORDER BY a.id LIMIT :limit) UNION ALL (SELECT y.* FROM companies c CROSS JOIN LATERAL (" + COLUMNS
            + "WHERE a.company_id = c.id AND a.id > :after ORDER BY a.id LIMIT :limit) y"
            + " WHERE (:allCompanies OR c.id = ANY(CAST(:companies AS uuid[]))) AND (NOT :allCompanies OR CAST(:companyId AS uuid) IS NOT NULL)"
            + " AND (CAST(:companyId AS uuid) IS NULL OR c.id = CAST(:companyId AS uuid)))) x ORDER BY x.id LIMIT :limit")
    List<AgentView> list(RowScope scope, UUID after, @Nullable UUID companyId, int limit);

    @Scoped
    @Query("UPDATE agents a SET name = COALESCE(:name, name), cpf = COALESCE(:cpf, cpf), creci = COALESCE(:creci, creci), "
            + "active = COALESCE(:active, active), updated_at = now() WHERE a.id = :id AND " + SCOPE)
    int update(RowScope scope, UUID id, @Nullable String name, @Nullable String cpf, @Nullable String creci, @Nullable Boolean active);

    @Scoped
    @Query("DELETE FROM agents a WHERE a.id = :id AND " + SCOPE)
    int delete(RowScope scope, UUID id);

    /** The agent record linked to a user in one company (at most one: UNIQUE (company_id, user_id)). */
    @Scoped
    @Query(COLUMNS + "WHERE a.company_id = :companyId AND a.user_id = :userId AND " + SCOPE)
    Optional<AgentView> findByUser(RowScope scope, UUID companyId, UUID userId);

    /**
     * The agent record holding a CPF in one company (at most one: UNIQUE (company_id, cpf)). The column
     * is char(11): compared as text it could use no index and read all of the company's agents
     * (HotPathPlansTest); bpchar without a length does not truncate what it is given.
     */
    @Scoped
    @Query(COLUMNS + "WHERE a.company_id = :companyId AND a.cpf = CAST(:cpf AS bpchar) AND " + SCOPE)
    Optional<AgentView> findByCpf(RowScope scope, UUID companyId, String cpf);

    /** Links a record that had no user to one, and activates it; 0 when it is linked already (a concurrent link won). */
    @Scoped
    @Query("UPDATE agents a SET user_id = :userId, creci = COALESCE(:creci, creci), active = true, updated_at = now() "
            + "WHERE a.id = :id AND a.user_id IS NULL AND " + SCOPE)
    int link(RowScope scope, UUID id, UUID userId, @Nullable String creci);

    /** Whether the user belongs to the company (an agent may only be linked to a user of its company). */
    @Scoped
    @Query("SELECT EXISTS (SELECT 1 FROM user_companies uc WHERE uc.user_id = :userId AND uc.company_id = :companyId "
            + "AND (:allCompanies OR uc.company_id = ANY(CAST(:companies AS uuid[]))))")
    boolean isMember(RowScope scope, UUID userId, UUID companyId);
}
