package realty.api.commission;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import realty.api.security.OwnRows;
import realty.api.security.Access;
import realty.api.web.Page;
import realty.api.web.PageRequest;
import realty.api.web.ProblemException;
import realty.core.commission.CommissionRule.Structure;
import realty.core.id.TimeOrderedIds;
import realty.core.security.Caller;
import realty.api.security.PermissionMatrix.Action;
import realty.api.security.PermissionMatrix.Resource;
import realty.core.tenancy.RowScope;

import java.math.BigDecimal;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Commission rules (domain.md §3) with the permission matrix's COMMISSION_RULE column. */
@Singleton
public class CommissionRuleService {
    private final TransactionOperations<Connection> tx;
    private final CommissionRuleRepository rules;

    public CommissionRuleService(TransactionOperations<Connection> tx, CommissionRuleRepository rules) {
        this.tx = tx;
        this.rules = rules;
    }

    public RuleView create(Caller caller, RuleRequests.Create r) {
        Access.require(caller, Resource.COMMISSION_RULE, Action.CREATE);
        RowScope scope = RowScope.of(caller);
        if (r.companyId() != null) {
            Access.requireCompany(caller, r.companyId());
        }
        UUID id = TimeOrderedIds.next();
        return tx.executeWrite(status -> {
            UUID agentCompany = rules.agentCompany(scope, r.agentId())
                    .orElseThrow(() -> ProblemException.badRequest("unknown agent", Map.of("agentId", "no such agent in your companies")));
            UUID company = r.companyId() == null ? agentCompany : r.companyId();
            if (!company.equals(agentCompany)) {
                throw ProblemException.badRequest("the agent does not belong to the rule's company",
                        Map.of("agentId", "the agent must belong to company " + company));
            }
            Fields f = validate(new Fields(r.transactionType(), r.structure(), r.percentage(), r.fixedAmount(),
                    r.minTransactionValue() == null ? BigDecimal.ZERO : r.minTransactionValue(), r.maxTransactionValue(),
                    r.validFrom(), r.validUntil(), r.active() == null || r.active()));
            rules.insert(id, company, r.agentId(), f.transactionType, f.structure, f.percentage, f.fixedAmount, f.min, f.max,
                    f.validFrom, f.validUntil, f.active, caller.actorId());
            return rules.find(scope, id).orElseThrow();
        });
    }

    public RuleView get(Caller caller, UUID id) {
        Access.require(caller, Resource.COMMISSION_RULE, Action.READ);
        return rules.find(OwnRows.scope(caller, Resource.COMMISSION_RULE, Action.READ), id)
                .orElseThrow(() -> ProblemException.notFound("commission rule"));
    }

    public Page<RuleView> list(Caller caller, @Nullable UUID agentId, @Nullable Boolean active, PageRequest page) {
        Access.require(caller, Resource.COMMISSION_RULE, Action.READ);
        return page.page(rules.list(OwnRows.scope(caller, Resource.COMMISSION_RULE, Action.READ), page.afterOrMin(), agentId, active,
                page.limit() + 1), RuleView::id);
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
            rules.update(RowScope.of(caller), id, f.transactionType, f.structure, f.percentage, f.fixedAmount, f.min, f.max,
                    f.validFrom, f.validUntil, f.active);
            return rules.find(RowScope.of(caller), id).orElseThrow();
        });
    }

    /** Rules are never deleted (transactions keep a snapshot, but the history stays readable): DELETE deactivates. */
    public void deactivate(Caller caller, UUID id) {
        Access.require(caller, Resource.COMMISSION_RULE, Action.DELETE);
        get(caller, id);
        if (Access.scope(caller, Resource.COMMISSION_RULE, Action.DELETE).isEmpty()) {
            throw Access.forbiddenOnRow(Resource.COMMISSION_RULE, Action.DELETE);
        }
        tx.executeWrite(status -> rules.deactivate(RowScope.of(caller), id));
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
}
