package realty.core.commission;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import realty.core.tenancy.TenantJdbc;
import realty.core.tenancy.TenantScope;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The database side of the commission split, shared by the API (one sale) and commission-function
 * (a bulk): reading the rules and the company's prospector share, and writing the transactions —
 * all of a split request in one statement, idempotent on {@code (sale_id, role)}.
 */
@Singleton
public class CommissionLedger {
    private static final String RULES = """
            SELECT r.id, r.company_id, r.agent_id, r.transaction_type, r.structure, r.percentage, r.fixed_amount,
                   r.min_transaction_value, r.max_transaction_value, r.valid_from, r.valid_until, r.active, r.version
            FROM commission_rules r
            WHERE r.agent_id = ANY(?::uuid[]) AND r.active AND r.transaction_type IN ('sale', 'both') AND {scope:r}""";
    private static final String PROSPECTOR_SHARE = """
            SELECT c.prospector_share_percent FROM (SELECT id AS company_id, prospector_share_percent FROM companies) c
            WHERE c.company_id = ? AND {scope:c}""";
    private static final String USERS_OF_AGENTS = """
            SELECT a.id, a.user_id FROM agents a WHERE a.id = ANY(?::uuid[]) AND a.user_id IS NOT NULL AND {scope:a}""";
    private static final String FINANCIAL_USERS = """
            SELECT DISTINCT uc.user_id FROM user_companies uc
            JOIN user_profiles p ON p.user_id = uc.user_id AND p.profile = 'financial'
            JOIN users u ON u.id = uc.user_id AND u.active
            WHERE uc.company_id = ? AND {scope:uc} ORDER BY uc.user_id""";

    private final TenantJdbc jdbc;
    private final CommissionTransactionRepository rows;
    private final JsonMapper json;

    public CommissionLedger(TenantJdbc jdbc, CommissionTransactionRepository rows, JsonMapper json) {
        this.jdbc = jdbc;
        this.rows = rows;
        this.json = json;
    }

    /** A transaction to write: one part of one sale's split. */
    public record NewTransaction(UUID companyId, UUID saleId, CommissionSplit split, CommissionSplit.Part part,
                                 String calculatedBy) {
    }

    /**
     * A transaction the insert actually created (not one that already existed): the columns of
     * {@code commission_transactions} its {@code RETURNING} gives (Micronaut Data maps returned rows
     * only onto an entity).
     */
    @MappedEntity("commission_transactions")
    public record Written(@Id UUID id, UUID saleId, String role, UUID agentId, BigDecimal amount, Instant calculatedAt) {
    }

    /** The active sale rules of these agents, by agent. */
    public Map<UUID, List<CommissionRule>> saleRulesOf(Connection c, TenantScope scope, Collection<UUID> agentIds)
            throws SQLException {
        Map<UUID, List<CommissionRule>> byAgent = new HashMap<>();
        if (agentIds.isEmpty()) {
            return byAgent;
        }
        for (CommissionRule r : jdbc.list(c, scope, RULES, CommissionLedger::rule, c.createArrayOf("uuid", agentIds.toArray()))) {
            byAgent.computeIfAbsent(r.agentId(), k -> new ArrayList<>()).add(r);
        }
        return byAgent;
    }

    /** The company's prospector share (domain.md §3, default 30 %). */
    public BigDecimal prospectorSharePercent(Connection c, TenantScope scope, UUID companyId) throws SQLException {
        return jdbc.one(c, scope, PROSPECTOR_SHARE, rs -> rs.getBigDecimal(1), companyId)
                .orElseThrow(() -> new IllegalStateException("company " + companyId + " not found"));
    }

    /**
     * Inserts every transaction in one statement. A part whose (sale, role) already has a
     * transaction is skipped, so a redelivered or replayed request writes nothing twice.
     *
     * @return the transactions this call created
     */
    public List<Written> insert(Connection c, TenantScope scope, List<NewTransaction> transactions) throws SQLException {
        if (transactions.isEmpty()) {
            return List.of();
        }
        int n = transactions.size();
        Object[] ids = new Object[n];
        Object[] companyIds = new Object[n];
        Object[] saleIds = new Object[n];
        Object[] agentIds = new Object[n];
        String[] roles = new String[n];
        Object[] ruleIds = new Object[n];
        int[] snapshotIndexes = new int[n];
        String[] bases = new String[n];
        String[] totals = new String[n];
        String[] percentages = new String[n];
        String[] amounts = new String[n];
        String[] calculatedBy = new String[n];
        Map<UUID, Integer> snapshotIndex = new HashMap<>();
        List<String> snapshots = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            NewTransaction t = transactions.get(i);
            if (!scope.allows(t.companyId())) {
                throw new IllegalArgumentException("transaction of company " + t.companyId() + " outside the scope");
            }
            CommissionSplit s = t.split();
            ids[i] = UUID.randomUUID();
            companyIds[i] = t.companyId();
            saleIds[i] = t.saleId();
            agentIds[i] = t.part().agentId();
            roles[i] = t.part().role().code();
            ruleIds[i] = s.rule().id();
            snapshotIndexes[i] = snapshotIndex.computeIfAbsent(s.rule().id(), id -> {
                snapshots.add(toJson(s.rule().snapshot()));
                return snapshots.size(); // SQL arrays are 1-based
            });
            bases[i] = s.baseAmount().toPlainString();
            totals[i] = s.total().toPlainString();
            percentages[i] = t.part().percentageApplied().toPlainString();
            amounts[i] = t.part().amount().toPlainString();
            calculatedBy[i] = t.calculatedBy();
        }
        // Runs on the connection of the current transaction, which is c's; c only makes the UUID arrays.
        return rows.insert(snapshots.toArray(String[]::new), c.createArrayOf("uuid", ids),
                c.createArrayOf("uuid", companyIds), c.createArrayOf("uuid", saleIds), c.createArrayOf("uuid", agentIds), roles,
                c.createArrayOf("uuid", ruleIds), snapshotIndexes, bases, totals, percentages, amounts, calculatedBy);
    }

    /** The users linked to these agent records (who to notify of their commission). */
    public Map<UUID, UUID> usersOfAgents(Connection c, TenantScope scope, Collection<UUID> agentIds) throws SQLException {
        Map<UUID, UUID> out = new HashMap<>();
        if (agentIds.isEmpty()) {
            return out;
        }
        jdbc.list(c, scope, USERS_OF_AGENTS, rs -> out.put(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)),
                c.createArrayOf("uuid", agentIds.toArray()));
        return out;
    }

    /** The company's active financial users: told when a sale has no applicable rule. */
    public List<UUID> financialUsers(Connection c, TenantScope scope, UUID companyId) throws SQLException {
        return jdbc.list(c, scope, FINANCIAL_USERS, rs -> rs.getObject(1, UUID.class), companyId);
    }

    public static CommissionRule rule(ResultSet rs) throws SQLException {
        java.sql.Date until = rs.getDate(11);
        return new CommissionRule(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                CommissionRule.TransactionType.fromCode(rs.getString(4)), CommissionRule.Structure.fromCode(rs.getString(5)),
                rs.getBigDecimal(6), rs.getBigDecimal(7), rs.getBigDecimal(8), rs.getBigDecimal(9),
                rs.getDate(10).toLocalDate(), until == null ? null : until.toLocalDate(), rs.getBoolean(12), rs.getInt(13));
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
