package realty.api.sale;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.data.exceptions.DataAccessException;
import jakarta.inject.Singleton;
import realty.api.commission.CommissionTransactionService;
import realty.api.security.Access;
import realty.api.web.Page;
import realty.api.web.PageRequest;
import realty.api.web.ProblemException;
import realty.api.web.RequestInfo;
import realty.api.web.BulkOperations;
import realty.core.bulk.BulkProgress;
import realty.core.commission.CommissionLedger;
import realty.core.commission.CommissionSplitter;
import realty.core.commission.SaleToSplit;
import realty.core.commission.SplitResult;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.CommissionCancelled;
import realty.core.event.payload.CommissionRecalculated;
import realty.core.event.payload.CommissionSplitRequested;
import realty.core.event.payload.SaleCancelled;
import realty.core.event.payload.SaleCompleted;
import realty.core.id.TimeOrderedIds;
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

import java.time.LocalDate;
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
    private static final List<String> STATUSES = List.of("completed", "cancelled");

    private final EventfulTransaction writes;
    private final SaleRepository sales;
    private final SaleCommissionRepository commissions;
    private final CommissionSplitter splitter;
    private final CommissionLedger ledger;
    private final BulkProgress bulks;

    public SaleService(EventfulTransaction writes, SaleRepository sales, SaleCommissionRepository commissions,
                       CommissionSplitter splitter, CommissionLedger ledger, BulkProgress bulks) {
        this.writes = writes;
        this.sales = sales;
        this.commissions = commissions;
        this.splitter = splitter;
        this.ledger = ledger;
        this.bulks = bulks;
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
            // Its starter is mailed once every consumer has finished the bulk (one bulk per company).
            byCompany.forEach((company, ofCompany) -> BulkOperations.open(bulks, BulkProgress.SALE_BULK, company, info.requestId(),
                    caller.userId(), ofCompany.size(), events));
            return new EventfulTransaction.Result<>(recorded.stream().map(NewSale::id).toList(), events);
        });
        return new BulkResult(committed.value().size(), committed.value(), committed.events());
    }

    /** {@code GET /sales} filters; null: any. The date range is inclusive, on the sale date. */
    public record Filter(@Nullable String status, @Nullable UUID agentId, @Nullable UUID propertyId, @Nullable LocalDate from,
                         @Nullable LocalDate to) {
    }

    /** The sales the caller may read (own ones for agents and portal users), newest sale date first. */
    public Page<SaleView> list(Caller caller, Filter filter, @Nullable Integer limit, @Nullable String cursor) {
        Scope scope = Access.require(caller, Resource.SALE, Action.READ);
        int size = PageRequest.of(limit, null).limit();
        SaleCursor after = SaleCursor.parse(cursor);
        Map<String, String> invalid = new LinkedHashMap<>();
        if (filter.status() != null && !STATUSES.contains(filter.status())) {
            invalid.put("status", "one of " + String.join(", ", STATUSES));
        }
        if (filter.from() != null && filter.to() != null && filter.from().isAfter(filter.to())) {
            invalid.put("from", "after to");
        }
        if (!invalid.isEmpty()) {
            throw ProblemException.badRequest("invalid filter", invalid);
        }
        RowScope rows = RowScope.of(caller);
        RowScope read = scope == Scope.OWN ? rows.own(caller.userId(), true, false, true) : rows;
        List<SaleRepository.Row> found = sales.list(read, filter.status(), filter.agentId(), filter.propertyId(),
                filter.from() == null ? LocalDate.of(1, 1, 1) : filter.from(),
                filter.to() == null ? SaleCursor.START.saleDate() : filter.to(), after.saleDate(), after.id(), size + 1);
        List<SaleRepository.Row> page = found.subList(0, Math.min(size, found.size()));
        boolean commissions = Access.scope(caller, Resource.COMMISSION_TRANSACTION, Action.READ).isPresent();
        Map<UUID, List<SaleRepository.Part>> parts = new HashMap<>();
        if (!page.isEmpty() && commissions) {
            sales.transactionsOf(rows, texts(page.stream().map(SaleRepository.Row::id).toList()))
                    .forEach(p -> parts.computeIfAbsent(p.saleId(), k -> new ArrayList<>()).add(p.part()));
        }
        List<SaleView> items = page.stream().map(r -> commissions
                ? saleView(r).with(commission(r.commissionStatus(), parts.getOrDefault(r.id(), List.of())), null)
                : saleView(r)).toList();
        SaleRepository.Row last = page.isEmpty() ? null : page.get(page.size() - 1);
        return new Page<>(items, found.size() > size ? new SaleCursor(last.saleDate(), last.id()).encode() : null);
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
     * Computes a sale's split again with the rules valid on its sale date, for instance after a
     * {@code no_applicable_rule} sale once its agent has a rule. Synchronous, as a single sale's split
     * is (domain.md §4): the same {@link CommissionSplitter} in the request's transaction, so the
     * answer carries the new split. Its pending transactions are cancelled first; a paid one makes
     * it a 409, since a paid commission is final. A misconfigured rule (above half the price) is a
     * 422 and changes nothing.
     */
    public SaleView recalculate(Caller caller, UUID id, RequestInfo info) {
        Access.require(caller, Resource.SALE, Action.RECALCULATE);
        Scope readScope = Access.require(caller, Resource.SALE, Action.READ);
        EventfulTransaction.Committed<SaleView> committed = writes.execute(c -> {
            TenantScope tenant = TenantScope.of(caller);
            RowScope rows = RowScope.of(caller);
            SaleView sale = find(caller, readScope, id, true).orElseThrow(() -> ProblemException.notFound("sale"));
            if ("cancelled".equals(sale.status())) {
                throw ProblemException.conflict("the sale is cancelled: there is no split to recalculate", null);
            }
            List<SaleRepository.Part> before = sales.transactions(rows, id);
            if (before.stream().anyMatch(t -> "paid".equals(t.paymentStatus()))) {
                throw ProblemException.conflict("a commission of this sale is already paid: its split is final",
                        Map.of("commission", "paid transactions cannot be recalculated"));
            }
            List<SaleCommissionRepository.CancelledCommission> cancelled = commissions.cancelPending(rows, id, caller.actorId());
            SaleToSplit toSplit = new SaleToSplit(id, sale.companyId(), sale.salePrice(), sale.saleDate(), sale.agentId(),
                    sale.prospectorId());
            SplitResult split = splitter.split(c, tenant, List.of(toSplit), "user:" + caller.actorId()).get(0);
            if (split.status() == SplitResult.Status.RULE_REJECTED) {
                throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, "Misconfigured commission rule", split.reason(), null);
            }
            sales.setCommissionStatus(rows, id, split.status().code());
            SaleView after = find(caller, Scope.CO, id, false).orElseThrow();

            Actor actor = CommissionTransactionService.actor(caller, info);
            CommissionRecalculated payload = new CommissionRecalculated(id, sale.commission() == null ? "pending"
                    : sale.commission().status(), split.status().code(),
                    cancelled.stream().map(SaleCommissionRepository.CancelledCommission::id).toList(),
                    split.transactions().stream().map(CommissionLedger.Written::id).toList(),
                    split.split() == null ? null : split.split().rule().id());
            EventEnvelope recalculated = EventEnvelope.create(EventType.COMMISSION_RECALCULATED, sale.companyId(), actor,
                    info.requestId(), null, new AggregateRef("sale", id.toString()), payload);
            List<EventEnvelope> events = new ArrayList<>(List.of(recalculated));
            Map<UUID, UUID> users = ledger.usersOfAgents(c, tenant,
                    cancelled.stream().map(SaleCommissionRepository.CancelledCommission::agentId).toList());
            for (SaleCommissionRepository.CancelledCommission t : cancelled) {
                CommissionCancelled p = new CommissionCancelled(t.id(), id, t.agentId(), t.role(), t.amount().toPlainString(), "cancelled",
                        users.containsKey(t.agentId()) ? List.of(users.get(t.agentId())) : List.of());
                events.add(EventEnvelope.create(EventType.COMMISSION_CANCELLED, sale.companyId(), actor, info.requestId(),
                        recalculated.id(), new AggregateRef("commission_transaction", t.id().toString()), p));
            }
            events.add(CommissionSplitter.calculatedEvent(split, actor, info.requestId(), recalculated.id()));
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
            out.add(new NewSale(TimeOrderedIds.next(), p, r, agent));
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
        return Optional.of(sale.with(commission(row.get().commissionStatus(), sales.transactions(rows, id)), null));
    }

    /** The split as shown: its summary from the first part, which is a live one when there is any (see SaleRepository.transactions). */
    private static SaleView.Commission commission(String status, List<SaleRepository.Part> parts) {
        if (parts.isEmpty()) {
            return new SaleView.Commission(status, null, null, null, null, null, List.of());
        }
        SaleRepository.Part first = parts.get(0);
        boolean live = !"cancelled".equals(first.paymentStatus());
        return new SaleView.Commission(status, first.ruleId(), first.baseAmount(), first.commissionTotal(),
                parts.stream().filter(p -> "prospector".equals(p.role()) && live == !"cancelled".equals(p.paymentStatus()))
                        .map(SaleRepository.Part::percentageApplied).findFirst().orElse(null),
                null, parts.stream().map(SaleService::part).toList());
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
