package realty.core.commission;

import jakarta.inject.Singleton;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.CommissionCalculated;
import realty.core.event.payload.CommissionShare;
import realty.core.event.payload.SaleCompleted;
import realty.core.tenancy.TenantScope;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The CommissionSplit observer's work (domain.md §5), for one sale (API, synchronous) or many
 * (commission-function): find each sale's rule, compute the split, write every transaction in one
 * statement, and describe the outcome as {@code commission.calculated} events.
 */
@Singleton
public class CommissionSplitter {
    private final CommissionLedger ledger;

    public CommissionSplitter(CommissionLedger ledger) {
        this.ledger = ledger;
    }

    /**
     * Splits and records the commissions of these sales in the caller's transaction.
     *
     * @param calculatedBy {@code user:<id>} or {@code event:<id>}, stored on each transaction
     */
    public List<SplitResult> split(Connection c, TenantScope scope, List<SaleToSplit> sales, String calculatedBy)
            throws SQLException {
        return split(c, scope, sales, sale -> calculatedBy);
    }

    /**
     * The same for sales asked for by different requests (the commission function's batch): each
     * sale's transactions record the request that asked for it.
     *
     * @param calculatedBy the {@code user:<id>} or {@code event:<id>} of each sale
     */
    public List<SplitResult> split(Connection c, TenantScope scope, List<SaleToSplit> sales,
                                   Function<SaleToSplit, String> calculatedBy) throws SQLException {
        if (sales.isEmpty()) {
            return List.of();
        }
        Set<UUID> agents = sales.stream().map(SaleToSplit::agentId).collect(Collectors.toSet());
        Map<UUID, List<CommissionRule>> rules = ledger.saleRulesOf(c, scope, agents);
        Map<UUID, BigDecimal> shares = new HashMap<>();
        for (UUID company : sales.stream().map(SaleToSplit::companyId).collect(Collectors.toSet())) {
            shares.put(company, ledger.prospectorSharePercent(c, scope, company));
        }

        List<Computed> computed = new ArrayList<>(sales.size());
        List<CommissionLedger.NewTransaction> toWrite = new ArrayList<>();
        for (SaleToSplit sale : sales) {
            Optional<CommissionRule> rule = CommissionSplitCalculator.applicableRule(
                    rules.getOrDefault(sale.agentId(), List.of()), sale.agentId(), sale.price(), sale.saleDate());
            if (rule.isEmpty()) {
                computed.add(new Computed(sale, SplitResult.Status.NO_APPLICABLE_RULE, null,
                        "no active sale rule of agent " + sale.agentId() + " covers a price of " + sale.price().toPlainString()
                                + " on " + sale.saleDate()));
                continue;
            }
            try {
                CommissionSplit split = CommissionSplitCalculator.split(sale.price(), rule.get(), sale.agentId(),
                        sale.prospectorId(), shares.get(sale.companyId()));
                computed.add(new Computed(sale, SplitResult.Status.CALCULATED, split, null));
                String by = calculatedBy.apply(sale);
                split.parts().forEach(p -> toWrite.add(new CommissionLedger.NewTransaction(sale.companyId(), sale.saleId(),
                        split, p, by)));
            } catch (CommissionAboveLimitException e) {
                computed.add(new Computed(sale, SplitResult.Status.RULE_REJECTED, null, e.getMessage()));
            }
        }

        Map<UUID, List<CommissionLedger.Written>> written = ledger.insert(c, scope, toWrite).stream()
                .collect(Collectors.groupingBy(CommissionLedger.Written::saleId));
        Map<UUID, UUID> userOfAgent = ledger.usersOfAgents(c, scope, computed.stream()
                .filter(x -> x.split != null)
                .flatMap(x -> x.split.parts().stream().map(CommissionSplit.Part::agentId))
                .collect(Collectors.toSet()));
        Map<UUID, List<UUID>> financial = new HashMap<>();
        for (Computed x : computed) {
            if (x.split == null && !financial.containsKey(x.sale.companyId())) {
                financial.put(x.sale.companyId(), ledger.financialUsers(c, scope, x.sale.companyId()));
            }
        }

        List<SplitResult> results = new ArrayList<>(computed.size());
        for (Computed x : computed) {
            List<UUID> recipients = x.split == null ? financial.get(x.sale.companyId())
                    : x.split.parts().stream().map(p -> userOfAgent.get(p.agentId())).filter(Objects::nonNull).distinct().toList();
            results.add(new SplitResult(x.sale, x.status, x.split, written.getOrDefault(x.sale.saleId(), List.of()),
                    recipients, x.reason));
        }
        return results;
    }

    /**
     * The {@code commission.calculated} event of one sale's split. Its {@code status} says whether
     * transactions were created; {@code recipientUserIds} says whom the notifier tells (for
     * {@code no_applicable_rule} and {@code rule_rejected}: the company's financial users).
     */
    public static EventEnvelope calculatedEvent(SplitResult r, Actor actor, String correlationId, UUID causationId) {
        boolean split = r.split() != null;
        CommissionCalculated payload = new CommissionCalculated(r.sale().saleId(), r.status().code(),
                r.sale().price().toPlainString(), r.sale().agentId(), r.sale().prospectorId(),
                split ? r.split().rule().id() : null,
                split ? r.split().total().toPlainString() : null,
                split ? shares(r) : null,
                split ? null : r.reason(),
                r.recipients());
        return EventEnvelope.create(EventType.COMMISSION_CALCULATED, r.sale().companyId(), actor, correlationId, causationId,
                new AggregateRef("sale", r.sale().saleId().toString()), payload);
    }

    /** The split as the {@code commission} of a {@code sale.completed} payload. */
    public static SaleCompleted.Commission saleCommission(SplitResult r) {
        if (r.split() == null) {
            return new SaleCompleted.Commission(r.status().code(), null, null, null, null, null, r.reason());
        }
        return new SaleCompleted.Commission(r.status().code(), r.split().rule().id(), r.split().baseAmount().toPlainString(),
                r.split().total().toPlainString(), r.split().prospectorSharePercent() == null ? null
                : r.split().prospectorSharePercent().toPlainString(), shares(r), null);
    }

    private static List<CommissionShare> shares(SplitResult r) {
        return r.transactions().stream()
                .map(w -> new CommissionShare(w.id(), w.role(), w.agentId(), w.amount().toPlainString()))
                .toList();
    }

    private record Computed(SaleToSplit sale, SplitResult.Status status, CommissionSplit split, String reason) {
    }
}
