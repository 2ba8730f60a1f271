package realty.api.sale;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.data.exceptions.DataAccessException;
import jakarta.inject.Singleton;
import realty.api.commission.CommissionTransactionService;
import realty.api.security.Access;
import realty.api.web.ProblemException;
import realty.api.web.RequestInfo;
import realty.core.commission.CommissionLedger;
import realty.core.commission.CommissionSplitter;
import realty.core.commission.SaleToSplit;
import realty.core.commission.SplitResult;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.CommissionCancelled;
import realty.core.event.payload.CommissionSplitRequested;
import realty.core.event.payload.SaleCancelled;
import realty.core.event.payload.SaleCompleted;
import realty.core.outbox.EventRef;
import realty.api.outbox.EventfulTransaction;
import realty.core.security.Caller;
import realty.api.security.PermissionMatrix.Action;
import realty.api.security.PermissionMatrix.Resource;
import realty.api.security.PermissionMatrix.Scope;
import realty.api.sale.SaleRepository.Property;
import realty.api.web.SqlState;
import realty.core.tenancy.RowScope;
import realty.core.tenancy.TenantScope;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Sales (domain.md §3–4): a single sale records the sale, marks the property sold and computes its
 * commission split in one transaction; a bulk records the sales and leaves the splits to
 * commission-function through one {@code commission.split.requested} event per company.
 */
@Singleton
public class SaleService {
    private static final Set<String> SELLABLE = Set.of("available", "reserved");

    private final EventfulTransaction writes;
    private final SaleRepository sales;
    private final SaleCommissionRepository commissions;
    private final CommissionSplitter splitter;
    private final CommissionLedger ledger;

    public SaleService(EventfulTransaction writes, SaleRepository sales, SaleCommissionRepository commissions,
                       CommissionSplitter splitter, CommissionLedger ledger) {
        this.writes = writes;
        this.sales = sales;
        this.commissions = commissions;
        this.splitter = splitter;
        this.ledger = ledger;
    }

    /** What a bulk answers: the sales recorded and the events, {@code commission.split.requested} first. */
    @io.micronaut.serde.annotation.Serdeable
    public record BulkResult(int count, List<UUID> saleIds, List<EventRef> events) {
    }

    private record NewSale(UUID id, Property property, SaleRequests.Create request, UUID agentId) {
        SaleToSplit toSplit() {
            return new SaleToSplit(id, property.companyId(), request.salePrice(), request.saleDate(), agentId,
                    property.prospectorId());
        }
    }

    public SaleView create(Caller caller, SaleRequests.Create request, RequestInfo info) {
        Scope scope = Access.require(caller, Resource.SALE, Action.CREATE);
        EventfulTransaction.Committed<SaleView> committed = writes.execute(c -> {
            TenantScope tenant = TenantScope.of(caller);
            RowScope rows = RowScope.of(caller);
            // An agent sells only a property they list or are assigned to (domain.md §2.2).
            Property property = sales.lockProperties(scope == Scope.OWN ? rows.own(caller.userId(), true, false, false) : rows,
                            texts(List.of(request.propertyId()))).stream().findFirst()
                    .orElseThrow(() -> ProblemException.notFound("property"));
            NewSale sale = resolve(rows, List.of(request), Map.of(property.id(), property), false).get(0);
            insert(caller, List.of(sale), "pending");

            SplitResult split = splitter.split(c, tenant, List.of(sale.toSplit()), "user:" + caller.actorId()).get(0);
            if (split.status() == SplitResult.Status.RULE_REJECTED) {
                throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, "Misconfigured commission rule", split.reason(), null);
            }
            sales.setCommissionStatus(rows, sale.id(), split.status().code());
            sales.markSold(rows, texts(List.of(property.id())));

            SaleView view = find(caller, Scope.CO, sale.id(), false).orElseThrow();
            Actor actor = CommissionTransactionService.actor(caller, info);
            EventEnvelope completed = EventEnvelope.create(EventType.SALE_COMPLETED, property.companyId(), actor,
                    info.requestId(), null, new AggregateRef("sale", sale.id().toString()),
                    salePayload(sale, CommissionSplitter.saleCommission(split)));
            EventEnvelope calculated = CommissionSplitter.calculatedEvent(split, actor, info.requestId(), completed.id());
            return new EventfulTransaction.Result<>(view, List.of(completed, calculated));
        });
        return committed.value().with(committed.value().commission(), committed.events());
    }

    public BulkResult createBulk(Caller caller, SaleRequests.Bulk bulk, RequestInfo info) {
        if (Access.require(caller, Resource.SALE, Action.CREATE) != Scope.CO) {
            throw ProblemException.forbidden("bulk sales are recorded by owners, directors and managers");
        }
        List<SaleRequests.Create> rows = bulk.sales();
        Map<String, String> duplicates = new LinkedHashMap<>();
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < rows.size(); i++) {
            if (!seen.add(rows.get(i).propertyId())) {
                duplicates.put("sales[" + i + "].propertyId", "the property is sold twice in this bulk");
            }
        }
        if (!duplicates.isEmpty()) {
            throw ProblemException.badRequest("invalid sales", duplicates);
        }
        EventfulTransaction.Committed<List<UUID>> committed = writes.execute(c -> {
            RowScope scope = RowScope.of(caller);
            Map<UUID, Property> properties = new HashMap<>();
            sales.lockProperties(scope, texts(seen)).forEach(p -> properties.put(p.id(), p));
            List<NewSale> recorded = resolve(scope, rows, properties, true);
            insert(caller, recorded, "pending");
            sales.markSold(scope, texts(seen));

            Actor actor = CommissionTransactionService.actor(caller, info);
            List<EventEnvelope> events = new ArrayList<>(recorded.size() + 1);
            Map<UUID, List<NewSale>> byCompany = recorded.stream().collect(Collectors.groupingBy(s -> s.property().companyId(),
                    LinkedHashMap::new, Collectors.toList()));
            byCompany.forEach((company, ofCompany) -> {
                CommissionSplitRequested payload = new CommissionSplitRequested(ofCompany.size(),
                        ofCompany.stream().map(NewSale::id).toList());
                events.add(EventEnvelope.create(EventType.COMMISSION_SPLIT_REQUESTED, company, actor, info.requestId(), null,
                        new AggregateRef("sale_bulk", info.requestId()), payload));
            });
            for (NewSale s : recorded) {
                events.add(EventEnvelope.create(EventType.SALE_COMPLETED, s.property().companyId(), actor, info.requestId(),
                        null, new AggregateRef("sale", s.id().toString()), salePayload(s, SaleCompleted.Commission.pending())));
            }
            return new EventfulTransaction.Result<>(recorded.stream().map(NewSale::id).toList(), events);
        });
        return new BulkResult(committed.value().size(), committed.value(), committed.events());
    }

    public SaleView get(Caller caller, UUID id) {
        Scope scope = Access.require(caller, Resource.SALE, Action.READ);
        return find(caller, scope, id, false)
                .orElseThrow(() -> ProblemException.notFound("sale"));
    }

    /** Cancels a sale: the property is available again and the pending commissions are cancelled; paid ones stay paid. */
    public SaleView cancel(Caller caller, UUID id, RequestInfo info) {
        Access.require(caller, Resource.SALE, Action.UPDATE);
        Scope readScope = Access.require(caller, Resource.SALE, Action.READ);
        EventfulTransaction.Committed<SaleView> committed = writes.execute(c -> {
            TenantScope tenant = TenantScope.of(caller);
            RowScope rows = RowScope.of(caller);
            SaleView sale = find(caller, readScope, id, true).orElseThrow(() -> ProblemException.notFound("sale"));
            if (Access.scope(caller, Resource.SALE, Action.UPDATE).filter(s -> s == Scope.CO).isEmpty()) {
                throw Access.forbiddenOnRow(Resource.SALE, Action.UPDATE);
            }
            if ("cancelled".equals(sale.status())) {
                throw ProblemException.conflict("the sale is already cancelled", null);
            }
            sales.cancel(rows, id, caller.actorId());
            sales.releaseProperty(rows, sale.propertyId());
            List<SaleCommissionRepository.CancelledCommission> cancelled = commissions.cancelPending(rows, id, caller.actorId());
            SaleView after = find(caller, Scope.CO, id, false).orElseThrow();

            Actor actor = CommissionTransactionService.actor(caller, info);
            SaleCancelled payload = new SaleCancelled(id, sale.propertyId(),
                    cancelled.stream().map(SaleCommissionRepository.CancelledCommission::id).toList(),
                    after.commission() == null ? List.of() : after.commission().transactions().stream()
                            .filter(t -> "paid".equals(t.paymentStatus())).map(t -> t.id()).toList());
            EventEnvelope saleCancelled = EventEnvelope.create(EventType.SALE_CANCELLED, sale.companyId(), actor, info.requestId(),
                    null, new AggregateRef("sale", id.toString()), payload);
            List<EventEnvelope> events = new ArrayList<>(List.of(saleCancelled));
            Map<UUID, UUID> users = ledger.usersOfAgents(c, tenant,
                    cancelled.stream().map(SaleCommissionRepository.CancelledCommission::agentId).toList());
            for (SaleCommissionRepository.CancelledCommission t : cancelled) {
                CommissionCancelled p = new CommissionCancelled(t.id(), id, t.agentId(), t.role(), t.amount().toPlainString(), "cancelled",
                        users.containsKey(t.agentId()) ? List.of(users.get(t.agentId())) : List.of());
                events.add(EventEnvelope.create(EventType.COMMISSION_CANCELLED, sale.companyId(), actor, info.requestId(),
                        saleCancelled.id(), new AggregateRef("commission_transaction", t.id().toString()), p));
            }
            return new EventfulTransaction.Result<>(after, events);
        });
        return committed.value().with(committed.value().commission(), committed.events());
    }

    /**
     * Checks each requested sale against its (locked) property and resolves its agent. Per-row
     * errors are reported together: 409 when every problem is a property no longer for sale, else 400.
     */
    private List<NewSale> resolve(RowScope scope, List<SaleRequests.Create> rows, Map<UUID, Property> properties, boolean bulk) {
        Set<UUID> agentIds = new HashSet<>();
        Set<UUID> buyerIds = new HashSet<>();
        for (SaleRequests.Create r : rows) {
            Property p = properties.get(r.propertyId());
            UUID agent = r.agentId() != null ? r.agentId() : p == null ? null : p.agentId();
            if (agent != null) {
                agentIds.add(agent);
            }
            if (r.buyerUserId() != null) {
                buyerIds.add(r.buyerUserId());
            }
        }
        Map<UUID, UUID> agentCompany = new HashMap<>();
        sales.activeAgents(scope, texts(agentIds)).forEach(a -> agentCompany.put(a.id(), a.companyId()));
        Set<String> buyerInCompany = new HashSet<>();
        if (!buyerIds.isEmpty()) {
            sales.buyers(scope, texts(buyerIds)).forEach(b -> buyerInCompany.add(b.id() + "/" + b.companyId()));
        }

        Map<String, String> invalid = new LinkedHashMap<>();
        Map<String, String> conflicts = new LinkedHashMap<>();
        List<NewSale> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            SaleRequests.Create r = rows.get(i);
            String at = bulk ? "sales[" + i + "]." : "";
            Property p = properties.get(r.propertyId());
            if (p == null) {
                invalid.put(at + "propertyId", "no such property in your companies");
                continue;
            }
            if (!SELLABLE.contains(p.status())) {
                conflicts.put(at + "propertyId", "the property is " + p.status() + ", not for sale");
            }
            UUID agent = r.agentId() != null ? r.agentId() : p.agentId();
            if (agent == null) {
                invalid.put(at + "agentId", "required: the property has no agent");
            } else if (!p.companyId().equals(agentCompany.get(agent))) {
                invalid.put(at + "agentId", "no active agent with this id in the property's company");
            }
            if (r.buyerUserId() != null && !buyerInCompany.contains(r.buyerUserId() + "/" + p.companyId())) {
                invalid.put(at + "buyerUserId", "no user with this id in the property's company");
            }
            out.add(new NewSale(UUID.randomUUID(), p, r, agent));
        }
        if (!invalid.isEmpty()) {
            invalid.putAll(conflicts);
            throw ProblemException.badRequest(bulk ? "invalid sales" : "invalid sale", invalid);
        }
        if (!conflicts.isEmpty()) {
            throw ProblemException.conflict(bulk ? "some properties are not for sale" : "the property is not for sale", conflicts);
        }
        return out;
    }

    /** All the sales in one statement (an unnest of column arrays, see SaleRepository.insert). */
    private void insert(Caller caller, List<NewSale> batch, String commissionStatus) {
        int n = batch.size();
        String[][] cols = new String[9][n];
        for (int i = 0; i < n; i++) {
            NewSale s = batch.get(i);
            cols[0][i] = s.id().toString();
            cols[1][i] = s.property().companyId().toString();
            cols[2][i] = s.property().id().toString();
            cols[3][i] = s.request().salePrice().toPlainString();
            cols[4][i] = s.request().saleDate().toString();
            cols[5][i] = s.request().buyerName().trim();
            cols[6][i] = text(s.request().buyerUserId());
            cols[7][i] = s.agentId().toString();
            cols[8][i] = text(s.property().prospectorId());
        }
        try {
            sales.insert(commissionStatus, caller.actorId(), cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6],
                    cols[7], cols[8]);
        } catch (DataAccessException e) {
            if (SqlState.UNIQUE_VIOLATION.of(e)) { // sales_one_completed_per_property: sold meanwhile
                throw ProblemException.conflict("the property was sold meanwhile", null);
            }
            throw e;
        }
    }

    private Optional<SaleView> find(Caller caller, Scope scope, UUID id, boolean lock) {
        RowScope rows = RowScope.of(caller);
        // A sale is the caller's through their agent records (sold it, their property) or as its buyer.
        RowScope read = scope == Scope.OWN ? rows.own(caller.userId(), true, false, true) : rows;
        Optional<SaleRepository.Row> row = lock ? sales.lock(read, id) : sales.find(read, id);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        SaleView sale = saleView(row.get());
        if (Access.scope(caller, Resource.COMMISSION_TRANSACTION, Action.READ).isEmpty()) {
            return Optional.of(sale); // no commission data for this caller (e.g. portal)
        }
        List<SaleRepository.Part> parts = sales.transactions(rows, id);
        String status = row.get().commissionStatus();
        SaleView.Commission commission = parts.isEmpty()
                ? new SaleView.Commission(status, null, null, null, null, null, List.of())
                : new SaleView.Commission(status, parts.get(0).ruleId(), parts.get(0).baseAmount(), parts.get(0).commissionTotal(),
                parts.stream().filter(p -> "prospector".equals(p.role())).map(SaleRepository.Part::percentageApplied)
                        .findFirst().orElse(null),
                null, parts.stream().map(SaleService::part).toList());
        return Optional.of(sale.with(commission, null));
    }

    private static SaleCompleted salePayload(NewSale s, SaleCompleted.Commission commission) {
        return new SaleCompleted(s.id(), s.property().id(), s.request().salePrice().toPlainString(),
                s.request().saleDate().toString(), s.agentId(), s.property().prospectorId(), commission);
    }

    private static SaleView.Part part(SaleRepository.Part p) {
        return new SaleView.Part(p.id(), p.role(), p.agentId(), p.percentageApplied(), p.amount(), p.paymentStatus());
    }

    private static SaleView saleView(SaleRepository.Row r) {
        return new SaleView(r.id(), r.companyId(), r.propertyId(), r.salePrice(), r.saleDate(), r.buyerName(), r.buyerUserId(),
                r.agentId(), r.prospectorId(), r.status(), r.createdAt(), r.cancelledAt(), null, null);
    }

    private static String text(@Nullable UUID id) {
        return id == null ? null : id.toString();
    }

    /** UUIDs as text: Micronaut Data binds no uuid arrays, the SQL casts them. */
    private static String[] texts(Collection<UUID> ids) {
        return ids.stream().map(UUID::toString).toArray(String[]::new);
    }
}
