package realty.api.commission;

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

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Commission transactions; an agent's own are those of their agent records. Never deleted. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface CommissionTransactionRepository extends GenericRepository<CommissionTransactionRepository.Transaction, UUID> {

    /** The table's key, so the repository has an entity to bind the scope expressions against. */
    @MappedEntity("commission_transactions")
    record Transaction(@Id UUID id) {
    }

    /** A transaction with its rule snapshot as JSON text, turned into the view by the service. */
    @Introspected
    record Row(UUID id, UUID companyId, UUID saleId, UUID agentId, String role, UUID ruleId, String ruleSnapshot,
               BigDecimal baseAmount, BigDecimal commissionTotal, BigDecimal percentageApplied, BigDecimal amount,
               String paymentStatus, @Nullable Instant paidAt, @Nullable Instant cancelledAt, Instant calculatedAt,
               String calculatedBy) {
    }

    String COLUMNS = """
            SELECT t.id, t.company_id, t.sale_id, t.agent_id, t.role, t.rule_id, CAST(t.rule_snapshot AS text) AS rule_snapshot,
                   t.base_amount, t.commission_total, t.percentage_applied, t.amount, t.payment_status, t.paid_at, t.cancelled_at,
                   t.calculated_at, t.calculated_by
            FROM commission_transactions t\s""";
    String SCOPE = "(:allCompanies OR t.company_id = ANY(CAST(:companies AS uuid[])))";
    String OWN = " AND (NOT :ownOnly OR (:viaAgent AND t.agent_id IN (SELECT me.id FROM agents me WHERE me.user_id = :ownUser AND me.active)))";

    @Scoped
    @Query(COLUMNS + "WHERE " + SCOPE + " AND t.id = :id" + OWN)
    Optional<Row> find(RowScope scope, UUID id);

    /** The same, locking the row until the transaction ends (pay and cancel). */
    @Scoped
    @Query(COLUMNS + "WHERE " + SCOPE + " AND t.id = :id" + OWN + " FOR UPDATE")
    Optional<Row> lock(RowScope scope, UUID id);

    String PAGE_FILTERS = " AND t.id > :after" + OWN
            + " AND (CAST(:saleId AS uuid) IS NULL OR t.sale_id = CAST(:saleId AS uuid))"
            + " AND (CAST(:agentId AS uuid) IS NULL OR t.agent_id = CAST(:agentId AS uuid))"
            + " AND (CAST(:status AS text) IS NULL OR t.payment_status = CAST(:status AS text))";

    /**
     * A page in id order after {@code :after}: each company's page from commission_transactions_company
     * (a LATERAL per company, as in GET /sales) merged, or the primary key walked for the platform
     * admin. Each branch runs only for its kind of scope (local: HotPathPlansTest).
     */
    @Scoped
    @Query("SELECT x.* FROM ((" + COLUMNS + "WHERE :allCompanies" + PAGE_FILTERS + " ORDER BY t.id LIMIT :limit)"
            + " UNION ALL (SELECT y.* FROM companies c CROSS JOIN LATERAL (" + COLUMNS + "WHERE t.company_id = c.id" + PAGE_FILTERS
            + " ORDER BY t.id LIMIT :limit) y WHERE NOT :allCompanies AND (:allCompanies OR c.id = ANY(CAST(:companies AS uuid[])))))"
            + " x ORDER BY x.id LIMIT :limit")
    List<Row> list(RowScope scope, UUID after, @Nullable UUID saleId, @Nullable UUID agentId, @Nullable String status, int limit);

    @Scoped
    @Query("UPDATE commission_transactions t SET payment_status = 'paid', paid_at = now(), paid_by = :by "
            + "WHERE t.id = :id AND t.payment_status = 'pending' AND " + SCOPE)
    int pay(RowScope scope, UUID id, String by);

    @Scoped
    @Query("UPDATE commission_transactions t SET payment_status = 'cancelled', cancelled_at = now(), cancelled_by = :by "
            + "WHERE t.id = :id AND t.payment_status = 'pending' AND " + SCOPE)
    int cancel(RowScope scope, UUID id, String by);

    /** The user behind an agent record, who is told about their commission. */
    @Scoped
    @Query("SELECT a.user_id FROM agents a WHERE a.id = :agentId AND a.user_id IS NOT NULL "
            + "AND (:allCompanies OR a.company_id = ANY(CAST(:companies AS uuid[])))")
    List<UUID> userOfAgent(RowScope scope, UUID agentId);
}
