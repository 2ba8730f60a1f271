package realty.core.commission;

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
import java.sql.Array;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What the commission split reads: the agents' rules, the company's prospector share and who to
 * tell, each restricted to the scope's companies. UUID arrays come as an {@link Array} made by the
 * transaction's connection (Micronaut Data 4.14 has no UUID array type).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface CommissionLookupRepository extends GenericRepository<CommissionLookupRepository.RuleKey, UUID> {

    /** The table's key, so the repository has an entity to bind the scope expressions against. */
    @MappedEntity("commission_rules")
    record RuleKey(@Id UUID id) {
    }

    @Introspected
    record RuleRow(UUID id, UUID companyId, UUID agentId, String transactionType, String structure,
                   @Nullable BigDecimal percentage, @Nullable BigDecimal fixedAmount, BigDecimal minTransactionValue,
                   @Nullable BigDecimal maxTransactionValue, LocalDate validFrom, @Nullable LocalDate validUntil,
                   boolean active, int version) {
        CommissionRule rule() {
            return new CommissionRule(id, companyId, agentId, CommissionRule.TransactionType.fromCode(transactionType),
                    CommissionRule.Structure.fromCode(structure), percentage, fixedAmount, minTransactionValue,
                    maxTransactionValue, validFrom, validUntil, active, version);
        }
    }

    @Introspected
    record AgentUser(UUID agentId, UUID userId) {
    }

    // One look-up of commission_rules_agent per agent (OFFSET 0 keeps the subquery per agent and the scope
    // outside it): with "agent_id = ANY(...)" and no statistics the planner reads the table for a batch of
    // agents, or all of the company's rules beside them (local: HotPathPlansTest).
    @Scoped
    @Query("""
            SELECT r.id, r.company_id, r.agent_id, r.transaction_type, r.structure, r.percentage, r.fixed_amount,
                   r.min_transaction_value, r.max_transaction_value, r.valid_from, r.valid_until, r.active, r.version
            FROM unnest(CAST(:agentIds AS uuid[])) AS a(id) CROSS JOIN LATERAL (
                SELECT r.* FROM commission_rules r WHERE r.agent_id = a.id AND r.active AND r.transaction_type IN ('sale', 'both')
                OFFSET 0) r
            WHERE (:allCompanies OR r.company_id = ANY(CAST(:companies AS uuid[])))""")
    List<RuleRow> saleRules(RowScope scope, Array agentIds);

    /** companies is the tenant table itself: its id is the scope. */
    @Scoped
    @Query("""
            SELECT c.prospector_share_percent FROM companies c
            WHERE c.id = :companyId AND (:allCompanies OR c.id = ANY(CAST(:companies AS uuid[])))""")
    Optional<BigDecimal> prospectorSharePercent(RowScope scope, UUID companyId);

    @Scoped
    @Query("""
            SELECT a.id AS agent_id, a.user_id FROM agents a WHERE a.id = ANY(:agentIds) AND a.user_id IS NOT NULL
              AND (:allCompanies OR a.company_id = ANY(CAST(:companies AS uuid[])))""")
    List<AgentUser> usersOfAgents(RowScope scope, Array agentIds);

    @Scoped
    @Query("""
            SELECT DISTINCT uc.user_id FROM user_companies uc
            JOIN user_profiles p ON p.user_id = uc.user_id AND p.profile = 'financial'
            JOIN users u ON u.id = uc.user_id AND u.active
            WHERE uc.company_id = :companyId AND (:allCompanies OR uc.company_id = ANY(CAST(:companies AS uuid[])))
            ORDER BY uc.user_id""")
    List<UUID> financialUsers(RowScope scope, UUID companyId);
}
