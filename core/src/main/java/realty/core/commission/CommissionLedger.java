package realty.core.commission;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import realty.core.tenancy.TenantJdbc;
import realty.core.tenancy.TenantScope;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
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
    // Each distinct rule snapshot is sent and parsed once; the rows point at it by index.
    private static final String INSERT = """
            WITH rules AS (SELECT ?::text[]::jsonb[] AS snapshots)
            INSERT INTO commission_transactions (id, company_id, sale_id, agent_id, role, rule_id, rule_snapshot, base_amount,
                                                 commission_total, percentage_applied, amount, calculated_by)
            SELECT u.id, u.company_id, u.sale_id, u.agent_id, u.role, u.rule_id, rules.snapshots[u.snapshot], u.base::numeric,
                   u.total::numeric, u.pct::numeric, u.amount::numeric, u.calculated_by
            FROM rules, unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::uuid[], ?::int[], ?::text[], ?::text[],
                               ?::text[], ?::text[], ?::text[])
                 AS u(id, company_id, sale_id, agent_id, role, rule_id, snapshot, base, total, pct, amount, calculated_by)
            ON CONFLICT (sale_id, role) DO NOTHING
            RETURNING id, sale_id, role, agent_id, amount, calculated_at""";
    private static final String USERS_OF_AGENTS = """
            SELECT a.id, a.user_id FROM agents a WHERE a.id = ANY(?::uuid[]) AND a.user_id IS NOT NULL AND {scope:a}""";
    private static final String FINANCIAL_USERS = """
            SELECT DISTINCT uc.user_id FROM user_companies uc
            JOIN user_profiles p ON p.user_id = uc.user_id AND p.profile = 'financial'
            JOIN users u ON u.id = uc.user_id AND u.active
            WHERE uc.company_id = ? AND {scope:uc} ORDER BY uc.user_id""";

    private final TenantJdbc jdbc;
    private final JsonMapper json;

    public CommissionLedger(TenantJdbc jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A transaction to write: one part of one sale's split. */
    public record NewTransaction(UUID companyId, UUID saleId, CommissionSplit split, CommissionSplit.Part part,
                                 String calculatedBy) {
    }

    /** A transaction the insert actually created (not one that already existed). */
    public record Written(UUID id, UUID saleId, String role, UUID agentId, BigDecimal amount, Instant calculatedAt) {
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
        Object[][] cols = new Object[12][n];
        Map<UUID, Integer> snapshotIndex = new HashMap<>();
        List<String> snapshots = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            NewTransaction t = transactions.get(i);
            if (!scope.allows(t.companyId())) {
                throw new IllegalArgumentException("transaction of company " + t.companyId() + " outside the scope");
            }
            CommissionSplit s = t.split();
            cols[0][i] = UUID.randomUUID();
            cols[1][i] = t.companyId();
            cols[2][i] = t.saleId();
            cols[3][i] = t.part().agentId();
            cols[4][i] = t.part().role().code();
            cols[5][i] = s.rule().id();
            cols[6][i] = snapshotIndex.computeIfAbsent(s.rule().id(), id -> {
                snapshots.add(toJson(s.rule().snapshot()));
                return snapshots.size(); // SQL arrays are 1-based
            });
            cols[7][i] = s.baseAmount().toPlainString();
            cols[8][i] = s.total().toPlainString();
            cols[9][i] = t.part().percentageApplied().toPlainString();
            cols[10][i] = t.part().amount().toPlainString();
            cols[11][i] = t.calculatedBy();
        }
        String[] types = {"uuid", "uuid", "uuid", "uuid", "text", "uuid", "int4", "text", "text", "text", "text", "text"};
        List<Written> written = new ArrayList<>(n);
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setArray(1, c.createArrayOf("text", snapshots.toArray()));
            for (int col = 0; col < types.length; col++) {
                ps.setArray(col + 2, c.createArrayOf(types[col], cols[col]));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    written.add(new Written(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                            rs.getObject(4, UUID.class), rs.getBigDecimal(5), rs.getTimestamp(6).toInstant()));
                }
            }
        }
        return written;
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
