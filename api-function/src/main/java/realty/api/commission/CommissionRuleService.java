package realty.api.commission;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import realty.api.sale.OwnConditions;
import realty.api.security.Access;
import realty.api.web.Page;
import realty.api.web.PageRequest;
import realty.api.web.ProblemException;
import realty.core.commission.CommissionRule.Structure;
import realty.core.security.Caller;
import realty.api.security.PermissionMatrix.Action;
import realty.api.security.PermissionMatrix.Resource;
import realty.api.security.PermissionMatrix.Scope;
import realty.core.tenancy.TenantJdbc;
import realty.core.tenancy.TenantScope;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Commission rules (domain.md §3) with the permission matrix's COMMISSION_RULE column. */
@Singleton
public class CommissionRuleService {
    private static final String COLUMNS = """
            SELECT r.id, r.company_id, r.agent_id, r.transaction_type, r.structure, r.percentage, r.fixed_amount,
                   r.min_transaction_value, r.max_transaction_value, r.valid_from, r.valid_until, r.active, r.version,
                   r.created_at, r.updated_at
            FROM commission_rules r WHERE {scope:r}""";
    private static final String INSERT = """
            INSERT INTO commission_rules (id, company_id, agent_id, transaction_type, structure, percentage, fixed_amount,
                                          min_transaction_value, max_transaction_value, valid_from, valid_until, active, created_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String UPDATE = """
            UPDATE commission_rules r SET transaction_type = ?, structure = ?, percentage = ?, fixed_amount = ?,
                   min_transaction_value = ?, max_transaction_value = ?, valid_from = ?, valid_until = ?, active = ?,
                   version = r.version + 1, updated_at = now()
            WHERE r.id = ? AND {scope:r}""";
    private static final String AGENT_COMPANY = "SELECT a.company_id FROM agents a WHERE a.id = ? AND {scope:a}";

    private final TransactionOperations<Connection> tx;
    private final TenantJdbc jdbc;

    public CommissionRuleService(TransactionOperations<Connection> tx, TenantJdbc jdbc) {
        this.tx = tx;
        this.jdbc = jdbc;
    }

    public RuleView create(Caller caller, RuleRequests.Create r) {
        Access.require(caller, Resource.COMMISSION_RULE, Action.CREATE);
        TenantScope scope = TenantScope.of(caller);
        if (r.companyId() != null) {
            Access.requireCompany(caller, r.companyId());
        }
        UUID id = UUID.randomUUID();
        return tx.executeWrite(status -> {
            Connection c = status.getConnection();
            UUID agentCompany = jdbc.one(c, scope, AGENT_COMPANY, rs -> rs.getObject(1, UUID.class), r.agentId())
                    .orElseThrow(() -> ProblemException.badRequest("unknown agent", Map.of("agentId", "no such agent in your companies")));
            UUID company = r.companyId() == null ? agentCompany : r.companyId();
            if (!company.equals(agentCompany)) {
                throw ProblemException.badRequest("the agent does not belong to the rule's company",
                        Map.of("agentId", "the agent must belong to company " + company));
            }
            Fields f = validate(new Fields(r.transactionType(), r.structure(), r.percentage(), r.fixedAmount(),
                    r.minTransactionValue() == null ? BigDecimal.ZERO : r.minTransactionValue(), r.maxTransactionValue(),
                    r.validFrom(), r.validUntil(), r.active() == null || r.active()));
            try (var ps = c.prepareStatement(INSERT)) {
                ps.setObject(1, id);
                ps.setObject(2, company);
                ps.setObject(3, r.agentId());
                ps.setString(4, f.transactionType);
                ps.setString(5, f.structure);
                ps.setBigDecimal(6, f.percentage);
                ps.setBigDecimal(7, f.fixedAmount);
                ps.setBigDecimal(8, f.min);
                ps.setBigDecimal(9, f.max);
                ps.setDate(10, Date.valueOf(f.validFrom));
                ps.setDate(11, f.validUntil == null ? null : Date.valueOf(f.validUntil));
                ps.setBoolean(12, f.active);
                ps.setString(13, caller.actorId());
                ps.executeUpdate();
            }
            return find(c, caller, Scope.CO, id).orElseThrow();
        });
    }

    public RuleView get(Caller caller, UUID id) {
        Scope scope = Access.require(caller, Resource.COMMISSION_RULE, Action.READ);
        return tx.executeRead(status -> find(status.getConnection(), caller, scope, id))
                .orElseThrow(() -> ProblemException.notFound("commission rule"));
    }

    public Page<RuleView> list(Caller caller, @Nullable UUID agentId, @Nullable Boolean active, PageRequest page) {
        Scope scope = Access.require(caller, Resource.COMMISSION_RULE, Action.READ);
        StringBuilder sql = new StringBuilder(COLUMNS);
        List<Object> args = new ArrayList<>();
        if (page.after() != null) {
            sql.append(" AND r.id > ?");
            args.add(page.after());
        }
        if (scope == Scope.OWN) {
            sql.append(" AND ").append(OwnConditions.agentIs("r.agent_id"));
            args.add(caller.userId());
        }
        if (agentId != null) {
            sql.append(" AND r.agent_id = ?");
            args.add(agentId);
        }
        if (active != null) {
            sql.append(" AND r.active = ?");
            args.add(active);
        }
        sql.append(" ORDER BY r.id LIMIT ").append(page.limit() + 1);
        return page.page(tx.executeRead(status -> jdbc.list(status.getConnection(), TenantScope.of(caller), sql.toString(),
                CommissionRuleService::view, args.toArray())), RuleView::id);
    }

    public RuleView update(Caller caller, UUID id, RuleRequests.Patch p) {
        Access.require(caller, Resource.COMMISSION_RULE, Action.UPDATE);
        RuleView current = get(caller, id);
        if (Access.scope(caller, Resource.COMMISSION_RULE, Action.UPDATE).isEmpty()) {
            throw Access.forbiddenOnRow(Resource.COMMISSION_RULE, Action.UPDATE);
        }
        String structure = p.structure() != null ? p.structure() : current.structure();
        boolean structureChanged = !structure.equals(current.structure());
        Fields f = validate(new Fields(
                p.transactionType() != null ? p.transactionType() : current.transactionType(), structure,
                p.percentage() != null ? p.percentage() : structureChanged ? null : current.percentage(),
                p.fixedAmount() != null ? p.fixedAmount() : structureChanged ? null : current.fixedAmount(),
                p.minTransactionValue() != null ? p.minTransactionValue() : current.minTransactionValue(),
                p.maxTransactionValue() != null ? p.maxTransactionValue() : current.maxTransactionValue(),
                p.validFrom() != null ? p.validFrom() : current.validFrom(),
                p.validUntil() != null ? p.validUntil() : current.validUntil(),
                p.active() != null ? p.active() : current.active()));
        return tx.executeWrite(status -> {
            Connection c = status.getConnection();
            jdbc.update(c, TenantScope.of(caller), UPDATE, f.transactionType, f.structure, f.percentage, f.fixedAmount, f.min,
                    f.max, Date.valueOf(f.validFrom), f.validUntil == null ? null : Date.valueOf(f.validUntil), f.active, id);
            return find(c, caller, Scope.CO, id).orElseThrow();
        });
    }

    /** Rules are never deleted (transactions keep a snapshot, but the history stays readable): DELETE deactivates. */
    public void deactivate(Caller caller, UUID id) {
        Access.require(caller, Resource.COMMISSION_RULE, Action.DELETE);
        get(caller, id);
        if (Access.scope(caller, Resource.COMMISSION_RULE, Action.DELETE).isEmpty()) {
            throw Access.forbiddenOnRow(Resource.COMMISSION_RULE, Action.DELETE);
        }
        tx.executeWrite(status -> jdbc.update(status.getConnection(), TenantScope.of(caller),
                "UPDATE commission_rules r SET active = false, version = r.version + 1, updated_at = now() "
                        + "WHERE r.id = ? AND r.active AND {scope:r}", id));
    }

    private Optional<RuleView> find(Connection c, Caller caller, Scope scope, UUID id) throws SQLException {
        String sql = COLUMNS + " AND r.id = ?" + (scope == Scope.OWN ? " AND " + OwnConditions.agentIs("r.agent_id") : "");
        Object[] args = scope == Scope.OWN ? new Object[]{id, caller.userId()} : new Object[]{id};
        return jdbc.one(c, TenantScope.of(caller), sql, CommissionRuleService::view, args);
    }

    /** The rule's fields after a create or a patch, checked as a whole (domain.md §3). */
    private record Fields(String transactionType, String structure, BigDecimal percentage, BigDecimal fixedAmount,
                          BigDecimal min, BigDecimal max, LocalDate validFrom, LocalDate validUntil, boolean active) {
    }

    private static Fields validate(Fields f) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (Structure.fromCode(f.structure) == Structure.PERCENTAGE) {
            if (f.percentage == null) {
                errors.put("percentage", "required for a percentage rule (0–100)");
            }
            if (f.fixedAmount != null) {
                errors.put("fixedAmount", "a percentage rule has no fixed amount");
            }
        } else {
            if (f.fixedAmount == null) {
                errors.put("fixedAmount", "required for a fixed rule (≥ 0)");
            }
            if (f.percentage != null) {
                errors.put("percentage", "a fixed rule has no percentage");
            }
        }
        if (f.max != null && f.max.compareTo(f.min) < 0) {
            errors.put("maxTransactionValue", "must not be below minTransactionValue");
        }
        if (f.validUntil != null && f.validUntil.isBefore(f.validFrom)) {
            errors.put("validUntil", "must not be before validFrom");
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("invalid commission rule", errors);
        }
        return f;
    }

    private static RuleView view(ResultSet rs) throws SQLException {
        Date until = rs.getDate(11);
        return new RuleView(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                rs.getString(4), rs.getString(5), rs.getBigDecimal(6), rs.getBigDecimal(7), rs.getBigDecimal(8),
                rs.getBigDecimal(9), rs.getDate(10).toLocalDate(), until == null ? null : until.toLocalDate(), rs.getBoolean(12),
                rs.getInt(13), rs.getTimestamp(14).toInstant(), rs.getTimestamp(15).toInstant());
    }
}
