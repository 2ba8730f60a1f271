package realty.core.commission;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import realty.core.id.TimeOrderedIds;
import realty.core.tenancy.RowScope;
import realty.core.tenancy.TenantScope;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Connection;
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
    private final CommissionLookupRepository lookups;
    private final CommissionTransactionRepository rows;
    private final JsonMapper json;

    public CommissionLedger(CommissionLookupRepository lookups, CommissionTransactionRepository rows, JsonMapper json) {
        this.lookups = lookups;
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
        for (CommissionLookupRepository.RuleRow r : lookups.saleRules(RowScope.of(scope), c.createArrayOf("uuid", agentIds.toArray()))) {
            byAgent.computeIfAbsent(r.agentId(), k -> new ArrayList<>()).add(r.rule());
        }
        return byAgent;
    }

    /** The company's prospector share (domain.md §3, default 30 %). */
    public BigDecimal prospectorSharePercent(Connection c, TenantScope scope, UUID companyId) throws SQLException {
        return lookups.prospectorSharePercent(RowScope.of(scope), companyId)
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
            ids[i] = TimeOrderedIds.next();
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
        for (CommissionLookupRepository.AgentUser a : lookups.usersOfAgents(RowScope.of(scope), c.createArrayOf("uuid", agentIds.toArray()))) {
            out.put(a.agentId(), a.userId());
        }
        return out;
    }

    /** The company's active financial users: told when a sale has no applicable rule. */
    public List<UUID> financialUsers(Connection c, TenantScope scope, UUID companyId) throws SQLException {
        return lookups.financialUsers(RowScope.of(scope), companyId);
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
