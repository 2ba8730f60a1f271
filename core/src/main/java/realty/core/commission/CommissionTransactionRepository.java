package realty.core.commission;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.sql.Array;
import java.util.List;
import java.util.UUID;

/**
 * Writes a split request's commission transactions in one statement. Native SQL: an {@code unnest}
 * of column arrays with {@code ON CONFLICT DO NOTHING RETURNING}. UUID arrays come as an
 * {@link Array} made by the transaction's connection (Micronaut Data 4.14 has no UUID array type).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface CommissionTransactionRepository extends GenericRepository<CommissionLedger.Written, UUID> {

    // Each distinct rule snapshot is sent and parsed once; the rows point at it by index. The conflict
    // target is the partial unique index of live transactions (V11): a recalculation writes new ones
    // beside the cancelled ones.
    @Query("""
            WITH rules AS (SELECT :snapshots::text[]::jsonb[] AS snapshots)
            INSERT INTO commission_transactions (id, company_id, sale_id, agent_id, role, rule_id, rule_snapshot, base_amount,
                                                 commission_total, percentage_applied, amount, calculated_by)
            SELECT u.id, u.company_id, u.sale_id, u.agent_id, u.role, u.rule_id, rules.snapshots[u.snapshot], u.base::numeric,
                   u.total::numeric, u.pct::numeric, u.amount::numeric, u.calculated_by
            FROM rules, unnest(:ids::uuid[], :companyIds::uuid[], :saleIds::uuid[], :agentIds::uuid[], :roles::text[],
                               :ruleIds::uuid[], :snapshotIndexes::int[], :bases::text[], :totals::text[], :percentages::text[],
                               :amounts::text[], :calculatedBy::text[])
                 AS u(id, company_id, sale_id, agent_id, role, rule_id, snapshot, base, total, pct, amount, calculated_by)
            ON CONFLICT (sale_id, role) WHERE payment_status <> 'cancelled' DO NOTHING
            RETURNING id, sale_id, role, agent_id, amount, calculated_at""")
    List<CommissionLedger.Written> insert(String[] snapshots, Array ids, Array companyIds, Array saleIds, Array agentIds,
                                          String[] roles, Array ruleIds, int[] snapshotIndexes, String[] bases,
                                          String[] totals, String[] percentages, String[] amounts, String[] calculatedBy);
}
