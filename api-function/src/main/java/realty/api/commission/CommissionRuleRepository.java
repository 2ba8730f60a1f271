package realty.api.commission;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import realty.core.tenancy.RowScope;
import realty.core.tenancy.Scoped;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Commission rules; an agent's own rules are those of their agent records. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface CommissionRuleRepository extends GenericRepository<CommissionRuleRepository.Rule, UUID> {

    /** The table's key, so the repository has an entity to bind the scope expressions against. */
    @MappedEntity("commission_rules")
    record Rule(@Id UUID id) {
    }

    String COLUMNS = """
            SELECT r.id, r.company_id, r.agent_id, r.transaction_type, r.structure, r.percentage, r.fixed_amount,
                   r.min_transaction_value, r.max_transaction_value, r.valid_from, r.valid_until, r.active, r.version,
                   r.created_at, r.updated_at
            FROM commission_rules r\s""";
    String SCOPE = "(:allCompanies OR r.company_id = ANY(CAST(:companies AS uuid[])))";
    String OWN = " AND (NOT :ownOnly OR (:viaAgent AND r.agent_id IN (SELECT me.id FROM agents me WHERE me.user_id = :ownUser AND me.active)))";

    @Scoped
    @Query(COLUMNS + "WHERE " + SCOPE + " AND r.id = :id" + OWN)
    Optional<RuleView> find(RowScope scope, UUID id);

    String PAGE_FILTERS = " AND r.id > :after" + OWN
            + " AND (CAST(:agentId AS uuid) IS NULL OR r.agent_id = CAST(:agentId AS uuid))"
            + " AND (CAST(:active AS boolean) IS NULL OR r.active = CAST(:active AS boolean))";

    /**
     * A page in id order after {@code :after}: each company's page from commission_rules_company (a
     * LATERAL per company, as in GET /sales) merged, or the primary key walked for the platform admin.
     * Each branch runs only for its kind of scope (local: HotPathPlansTest).
     */
    @Scoped
    @Query("SELECT x.* FROM ((" + COLUMNS + "WHERE :allCompanies" + PAGE_FILTERS + " ORDER BY r.id LIMIT :limit)"
            + " UNION ALL (SELECT y.* FROM companies c CROSS JOIN LATERAL (" + COLUMNS + "WHERE r.company_id = c.id" + PAGE_FILTERS
            + " ORDER BY r.id LIMIT :limit) y WHERE NOT :allCompanies AND (:allCompanies OR c.id = ANY(CAST(:companies AS uuid[])))))"
            + " x ORDER BY x.id LIMIT :limit")
    List<RuleView> list(RowScope scope, UUID after, @Nullable UUID agentId, @Nullable Boolean active, int limit);

    /** The agent's company, if the agent is in scope. */
    @Scoped
    @Query("SELECT a.company_id FROM agents a WHERE a.id = :agentId AND (:allCompanies OR a.company_id = ANY(CAST(:companies AS uuid[])))")
    Optional<UUID> agentCompany(RowScope scope, UUID agentId);

    @Query("""
            INSERT INTO commission_rules (id, company_id, agent_id, transaction_type, structure, percentage, fixed_amount,
                                          min_transaction_value, max_transaction_value, valid_from, valid_until, active, created_by)
            VALUES (:id, :companyId, :agentId, :transactionType, :structure, :percentage, :fixedAmount, :min, :max, :validFrom,
                    :validUntil, :active, :createdBy)""")
    void insert(UUID id, UUID companyId, UUID agentId, String transactionType, String structure, @Nullable BigDecimal percentage,
                @Nullable BigDecimal fixedAmount, BigDecimal min, @Nullable BigDecimal max, LocalDate validFrom,
                @Nullable LocalDate validUntil, boolean active, String createdBy);

    @Scoped
    @Query("""
            UPDATE commission_rules r SET transaction_type = :transactionType, structure = :structure, percentage = :percentage,
                   fixed_amount = :fixedAmount, min_transaction_value = :min, max_transaction_value = :max, valid_from = :validFrom,
                   valid_until = :validUntil, active = :active, version = r.version + 1, updated_at = now()
            WHERE r.id = :id AND (:allCompanies OR r.company_id = ANY(CAST(:companies AS uuid[])))""")
    int update(RowScope scope, UUID id, String transactionType, String structure, @Nullable BigDecimal percentage,
               @Nullable BigDecimal fixedAmount, BigDecimal min, @Nullable BigDecimal max, LocalDate validFrom,
               @Nullable LocalDate validUntil, boolean active);

    @Scoped
    @Query("UPDATE commission_rules r SET active = false, version = r.version + 1, updated_at = now() "
            + "WHERE r.id = :id AND r.active AND (:allCompanies OR r.company_id = ANY(CAST(:companies AS uuid[])))")
    int deactivate(RowScope scope, UUID id);
}
