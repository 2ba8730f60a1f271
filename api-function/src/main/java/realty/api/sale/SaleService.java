package realty.api.sale;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.transaction.TransactionOperations;
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
import realty.core.tenancy.TenantJdbc;
import realty.core.tenancy.TenantScope;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
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
    private static final String PROPERTIES = """
            SELECT p.id, p.company_id, p.status, p.agent_id, p.prospector_id FROM properties p
            WHERE p.id = ANY(?::uuid[]) AND {scope:p}""";
    private static final String ACTIVE_AGENTS = "SELECT a.id, a.company_id FROM agents a WHERE a.id = ANY(?::uuid[]) AND a.active AND {scope:a}";
    private static final String BUYERS = "SELECT uc.user_id, uc.company_id FROM user_companies uc WHERE uc.user_id = ANY(?::uuid[]) AND {scope:uc}";
    private static final String INSERT_SALES = """
            INSERT INTO sales (id, company_id, property_id, sale_price, sale_date, buyer_name, buyer_user_id, agent_id,
                               prospector_id, commission_status, created_by)
            SELECT u.id, u.company_id, u.property_id, u.price::numeric, u.sale_date::date, u.buyer_name, u.buyer_user_id,
                   u.agent_id, u.prospector_id, ?, ?
            FROM unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::uuid[], ?::uuid[], ?::uuid[])
                 AS u(id, company_id, property_id, price, sale_date, buyer_name, buyer_user_id, agent_id, prospector_id)""";
    private static final String MARK_SOLD = """
            UPDATE properties p SET status = 'sold', version = p.version + 1, updated_at = now()
            WHERE p.id = ANY(?::uuid[]) AND {scope:p}""";
    private static final String SET_COMMISSION_STATUS = "UPDATE sales s SET commission_status = ? WHERE s.id = ? AND {scope:s}";
    private static final String SALE = """
            SELECT s.id, s.company_id, s.property_id, s.sale_price, s.sale_date, s.buyer_name, s.buyer_user_id, s.agent_id,
                   s.prospector_id, s.status, s.created_at, s.cancelled_at, s.commission_status
            FROM sales s WHERE s.id = ? AND {scope:s}""";
    private static final String TRANSACTIONS = """
            SELECT t.id, t.role, t.agent_id, t.percentage_applied, t.amount, t.payment_status, t.rule_id, t.base_amount,
                   t.commission_total
            FROM commission_transactions t WHERE t.sale_id = ? AND {scope:t} ORDER BY t.role""";
    private static final String CANCEL_SALE = """
            UPDATE sales s SET status = 'cancelled', cancelled_at = now(), cancelled_by = ?,
                   commission_status = CASE WHEN s.commission_status = 'pending' THEN 'cancelled' ELSE s.commission_status END
            WHERE s.id = ? AND {scope:s}""";
    private static final String RELEASE_PROPERTY = """
            UPDATE properties p SET status = 'available', version = p.version + 1, updated_at = now()
            WHERE p.id = ? AND p.status = 'sold' AND {scope:p}""";
    private static final String CANCEL_PENDING_TRANSACTIONS = """
            UPDATE commission_transactions t SET payment_status = 'cancelled', cancelled_at = now(), cancelled_by = ?
            WHERE t.sale_id = ? AND t.payment_status = 'pending' AND {scope:t}
            RETURNING t.id, t.agent_id, t.role, t.amount""";

    private final EventfulTransaction writes;
    private final TransactionOperations<Connection> tx;
    private final TenantJdbc jdbc;
    private final CommissionSplitter splitter;
    private final CommissionLedger ledger;

    public SaleService(EventfulTransaction writes, TransactionOperations<Connection> tx, TenantJdbc jdbc,
                       CommissionSplitter splitter, CommissionLedger ledger) {
        this.writes = writes;
        this.tx = tx;
        this.jdbc = jdbc;
        this.splitter = splitter;
        this.ledger = ledger;
    }

    /** What a bulk answers: the sales recorded and the events, {@code commission.split.requested} first. */
    @io.micronaut.serde.annotation.Serdeable
    public record BulkResult(int count, List<UUID> saleIds, List<EventRef> events) {
    }

    private record Property(UUID id, UUID companyId, String status, @Nullable UUID agentId, @Nullable UUID prospectorId) {
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
            String sql = PROPERTIES + (scope == Scope.OWN ? " AND " + OwnConditions.propertyOf("p.id") : "") + " FOR UPDATE";
            Object[] args = scope == Scope.OWN ? new Object[]{array(c, List.of(request.propertyId())), caller.userId(), caller.userId()}
                    : new Object[]{array(c, List.of(request.propertyId()))};
            Property property = jdbc.one(c, tenant, sql, SaleService::property, args)
                    .orElseThrow(() -> ProblemException.notFound("property"));
            NewSale sale = resolve(c, tenant, List.of(request), Map.of(property.id(), property), false).get(0);
            insert(c, caller, List.of(sale), "pending");

            SplitResult split = splitter.split(c, tenant, List.of(sale.toSplit()), "user:" + caller.actorId()).get(0);
            if (split.status() == SplitResult.Status.RULE_REJECTED) {
                throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, "Misconfigured commission rule", split.reason(), null);
            }
            jdbc.update(c, tenant, SET_COMMISSION_STATUS, split.status().code(), sale.id());
            jdbc.update(c, tenant, MARK_SOLD, array(c, List.of(property.id())));

            SaleView view = find(c, caller, Scope.CO, sale.id(), false).orElseThrow();
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
            TenantScope tenant = TenantScope.of(caller);
            // Locked in id order, so two bulks over the same properties cannot deadlock.
            Map<UUID, Property> properties = new HashMap<>();
            jdbc.list(c, tenant, PROPERTIES + " ORDER BY p.id FOR UPDATE", SaleService::property, array(c, seen))
                    .forEach(p -> properties.put(p.id(), p));
            List<NewSale> sales = resolve(c, tenant, rows, properties, true);
            insert(c, caller, sales, "pending");
            jdbc.update(c, tenant, MARK_SOLD, array(c, seen));

            Actor actor = CommissionTransactionService.actor(caller, info);
            List<EventEnvelope> events = new ArrayList<>(sales.size() + 1);
            Map<UUID, List<NewSale>> byCompany = sales.stream().collect(Collectors.groupingBy(s -> s.property().companyId(),
                    LinkedHashMap::new, Collectors.toList()));
            byCompany.forEach((company, ofCompany) -> {
                CommissionSplitRequested payload = new CommissionSplitRequested(ofCompany.size(),
                        ofCompany.stream().map(NewSale::id).toList());
                events.add(EventEnvelope.create(EventType.COMMISSION_SPLIT_REQUESTED, company, actor, info.requestId(), null,
                        new AggregateRef("sale_bulk", info.requestId()), payload));
            });
            for (NewSale s : sales) {
                events.add(EventEnvelope.create(EventType.SALE_COMPLETED, s.property().companyId(), actor, info.requestId(),
                        null, new AggregateRef("sale", s.id().toString()), salePayload(s, SaleCompleted.Commission.pending())));
            }
            return new EventfulTransaction.Result<>(sales.stream().map(NewSale::id).toList(), events);
        });
        return new BulkResult(committed.value().size(), committed.value(), committed.events());
    }

    public SaleView get(Caller caller, UUID id) {
        Scope scope = Access.require(caller, Resource.SALE, Action.READ);
        return tx.executeRead(status -> find(status.getConnection(), caller, scope, id, false))
                .orElseThrow(() -> ProblemException.notFound("sale"));
    }

    /** Cancels a sale: the property is available again and the pending commissions are cancelled; paid ones stay paid. */
    public SaleView cancel(Caller caller, UUID id, RequestInfo info) {
        Access.require(caller, Resource.SALE, Action.UPDATE);
        Scope readScope = Access.require(caller, Resource.SALE, Action.READ);
        EventfulTransaction.Committed<SaleView> committed = writes.execute(c -> {
            TenantScope tenant = TenantScope.of(caller);
            SaleView sale = find(c, caller, readScope, id, true).orElseThrow(() -> ProblemException.notFound("sale"));
            if (Access.scope(caller, Resource.SALE, Action.UPDATE).filter(s -> s == Scope.CO).isEmpty()) {
                throw Access.forbiddenOnRow(Resource.SALE, Action.UPDATE);
            }
            if ("cancelled".equals(sale.status())) {
                throw ProblemException.conflict("the sale is already cancelled", null);
            }
            jdbc.update(c, tenant, CANCEL_SALE, caller.actorId(), id);
            jdbc.update(c, tenant, RELEASE_PROPERTY, sale.propertyId());
            List<Object[]> cancelled = jdbc.list(c, tenant, CANCEL_PENDING_TRANSACTIONS, rs -> new Object[]{
                    rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getBigDecimal(4)}, caller.actorId(), id);
            SaleView after = find(c, caller, Scope.CO, id, false).orElseThrow();

            Actor actor = CommissionTransactionService.actor(caller, info);
            SaleCancelled payload = new SaleCancelled(id, sale.propertyId(), cancelled.stream().map(t -> (UUID) t[0]).toList(),
                    after.commission() == null ? List.of() : after.commission().transactions().stream()
                            .filter(t -> "paid".equals(t.paymentStatus())).map(t -> t.id()).toList());
            EventEnvelope saleCancelled = EventEnvelope.create(EventType.SALE_CANCELLED, sale.companyId(), actor, info.requestId(),
                    null, new AggregateRef("sale", id.toString()), payload);
            List<EventEnvelope> events = new ArrayList<>(List.of(saleCancelled));
            Map<UUID, UUID> users = ledger.usersOfAgents(c, tenant, cancelled.stream().map(t -> (UUID) t[1]).toList());
            for (Object[] t : cancelled) {
                CommissionCancelled p = new CommissionCancelled((UUID) t[0], id, (UUID) t[1], (String) t[2],
                        ((BigDecimal) t[3]).toPlainString(), "cancelled",
                        users.containsKey((UUID) t[1]) ? List.of(users.get((UUID) t[1])) : List.of());
                events.add(EventEnvelope.create(EventType.COMMISSION_CANCELLED, sale.companyId(), actor, info.requestId(),
                        saleCancelled.id(), new AggregateRef("commission_transaction", t[0].toString()), p));
            }
            return new EventfulTransaction.Result<>(after, events);
        });
        return committed.value().with(committed.value().commission(), committed.events());
    }

    /**
     * Checks each requested sale against its (locked) property and resolves its agent. Per-row
     * errors are reported together: 409 when every problem is a property no longer for sale, else 400.
     */
    private List<NewSale> resolve(Connection c, TenantScope tenant, List<SaleRequests.Create> rows,
                                  Map<UUID, Property> properties, boolean bulk) throws SQLException {
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
        jdbc.list(c, tenant, ACTIVE_AGENTS, rs -> agentCompany.put(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)),
                array(c, agentIds));
        Set<String> buyerInCompany = new HashSet<>();
        if (!buyerIds.isEmpty()) {
            jdbc.list(c, tenant, BUYERS, rs -> buyerInCompany.add(rs.getObject(1, UUID.class) + "/" + rs.getObject(2, UUID.class)),
                    array(c, buyerIds));
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

    /** All the sales in one statement. */
    private static void insert(Connection c, Caller caller, List<NewSale> sales, String commissionStatus) throws SQLException {
        int n = sales.size();
        Object[][] cols = new Object[9][n];
        for (int i = 0; i < n; i++) {
            NewSale s = sales.get(i);
            cols[0][i] = s.id();
            cols[1][i] = s.property().companyId();
            cols[2][i] = s.property().id();
            cols[3][i] = s.request().salePrice().toPlainString();
            cols[4][i] = s.request().saleDate().toString();
            cols[5][i] = s.request().buyerName().trim();
            cols[6][i] = s.request().buyerUserId();
            cols[7][i] = s.agentId();
            cols[8][i] = s.property().prospectorId();
        }
        String[] types = {"uuid", "uuid", "uuid", "text", "text", "text", "uuid", "uuid", "uuid"};
        try (PreparedStatement ps = c.prepareStatement(INSERT_SALES)) {
            ps.setString(1, commissionStatus);
            ps.setString(2, caller.actorId());
            for (int col = 0; col < types.length; col++) {
                ps.setArray(col + 3, c.createArrayOf(types[col], cols[col]));
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) { // sales_one_completed_per_property: sold meanwhile
                throw ProblemException.conflict("the property was sold meanwhile", null);
            }
            throw e;
        }
    }

    private Optional<SaleView> find(Connection c, Caller caller, Scope scope, UUID id, boolean lock) throws SQLException {
        TenantScope tenant = TenantScope.of(caller);
        String sql = SALE + (scope == Scope.OWN ? " AND " + OwnConditions.sale("s") : "") + (lock ? " FOR UPDATE" : "");
        Object[] args = scope == Scope.OWN ? new Object[]{id, caller.userId(), caller.userId(), caller.userId(), caller.userId()}
                : new Object[]{id};
        Optional<Object[]> row = jdbc.one(c, tenant, sql, rs -> new Object[]{saleView(rs), rs.getString(13)}, args);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        SaleView sale = (SaleView) row.get()[0];
        if (Access.scope(caller, Resource.COMMISSION_TRANSACTION, Action.READ).isEmpty()) {
            return Optional.of(sale); // no commission data for this caller (e.g. portal)
        }
        List<Object[]> parts = jdbc.list(c, tenant, TRANSACTIONS, rs -> new Object[]{
                new SaleView.Part(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class), rs.getBigDecimal(4),
                        rs.getBigDecimal(5), rs.getString(6)),
                rs.getObject(7, UUID.class), rs.getBigDecimal(8), rs.getBigDecimal(9)}, id);
        String status = (String) row.get()[1];
        SaleView.Commission commission = parts.isEmpty()
                ? new SaleView.Commission(status, null, null, null, null, null, List.of())
                : new SaleView.Commission(status, (UUID) parts.get(0)[1], (BigDecimal) parts.get(0)[2], (BigDecimal) parts.get(0)[3],
                parts.stream().map(p -> (SaleView.Part) p[0]).filter(p -> "prospector".equals(p.role()))
                        .map(SaleView.Part::percentageApplied).findFirst().orElse(null),
                null, parts.stream().map(p -> (SaleView.Part) p[0]).toList());
        return Optional.of(sale.with(commission, null));
    }

    private static SaleCompleted salePayload(NewSale s, SaleCompleted.Commission commission) {
        return new SaleCompleted(s.id(), s.property().id(), s.request().salePrice().toPlainString(),
                s.request().saleDate().toString(), s.agentId(), s.property().prospectorId(), commission);
    }

    private static Property property(ResultSet rs) throws SQLException {
        return new Property(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                rs.getObject(4, UUID.class), rs.getObject(5, UUID.class));
    }

    private static SaleView saleView(ResultSet rs) throws SQLException {
        Timestamp cancelled = rs.getTimestamp(12);
        return new SaleView(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                rs.getBigDecimal(4), rs.getDate(5).toLocalDate(), rs.getString(6), rs.getObject(7, UUID.class),
                rs.getObject(8, UUID.class), rs.getObject(9, UUID.class), rs.getString(10), rs.getTimestamp(11).toInstant(),
                cancelled == null ? null : cancelled.toInstant(), null, null);
    }

    private static java.sql.Array array(Connection c, java.util.Collection<UUID> ids) throws SQLException {
        return c.createArrayOf("uuid", ids.toArray());
    }
}
