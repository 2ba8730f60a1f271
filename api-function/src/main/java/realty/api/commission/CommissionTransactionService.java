package realty.api.commission;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import realty.api.sale.OwnConditions;
import realty.api.security.Access;
import realty.api.web.Page;
import realty.api.web.PageRequest;
import realty.api.web.ProblemException;
import realty.api.web.RequestInfo;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.CommissionCancelled;
import realty.core.event.payload.CommissionPaid;
import realty.core.event.payload.EventPayload;
import realty.api.outbox.EventfulTransaction;
import realty.core.security.Caller;
import realty.api.security.PermissionMatrix.Action;
import realty.api.security.PermissionMatrix.Resource;
import realty.api.security.PermissionMatrix.Scope;
import realty.core.tenancy.TenantJdbc;
import realty.core.tenancy.TenantScope;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Commission transactions (domain.md §2.2–3): read, pay, cancel. Never deleted; a paid one cannot be
 * cancelled; amounts never change. The database enforces the same rules (V3 triggers and checks).
 */
@Singleton
public class CommissionTransactionService {
    private static final Set<String> STATUSES = Set.of("pending", "paid", "cancelled");
    private static final String COLUMNS = """
            SELECT t.id, t.company_id, t.sale_id, t.agent_id, t.role, t.rule_id, t.rule_snapshot::text, t.base_amount,
                   t.commission_total, t.percentage_applied, t.amount, t.payment_status, t.paid_at, t.cancelled_at,
                   t.calculated_at, t.calculated_by
            FROM commission_transactions t WHERE {scope:t}""";
    private static final String PAY = """
            UPDATE commission_transactions t SET payment_status = 'paid', paid_at = now(), paid_by = ?
            WHERE t.id = ? AND t.payment_status = 'pending' AND {scope:t}""";
    private static final String CANCEL = """
            UPDATE commission_transactions t SET payment_status = 'cancelled', cancelled_at = now(), cancelled_by = ?
            WHERE t.id = ? AND t.payment_status = 'pending' AND {scope:t}""";
    private static final String USER_OF_AGENT = "SELECT a.user_id FROM agents a WHERE a.id = ? AND a.user_id IS NOT NULL AND {scope:a}";

    private final TransactionOperations<Connection> tx;
    private final EventfulTransaction writes;
    private final TenantJdbc jdbc;
    private final JsonMapper json;

    public CommissionTransactionService(TransactionOperations<Connection> tx, EventfulTransaction writes, TenantJdbc jdbc,
                                        JsonMapper json) {
        this.tx = tx;
        this.writes = writes;
        this.jdbc = jdbc;
        this.json = json;
    }

    public Page<TransactionView> list(Caller caller, @Nullable UUID saleId, @Nullable UUID agentId, @Nullable String status,
                                      PageRequest page) {
        Scope scope = Access.require(caller, Resource.COMMISSION_TRANSACTION, Action.READ);
        if (status != null && !STATUSES.contains(status)) {
            throw ProblemException.badRequest("invalid status", Map.of("status", "one of pending, paid, cancelled"));
        }
        StringBuilder sql = new StringBuilder(COLUMNS);
        List<Object> args = new ArrayList<>();
        if (page.after() != null) {
            sql.append(" AND t.id > ?");
            args.add(page.after());
        }
        if (scope == Scope.OWN) {
            sql.append(" AND ").append(OwnConditions.agentIs("t.agent_id"));
            args.add(caller.userId());
        }
        for (Object[] filter : new Object[][]{{"t.sale_id", saleId}, {"t.agent_id", agentId}, {"t.payment_status", status}}) {
            if (filter[1] != null) {
                sql.append(" AND ").append(filter[0]).append(" = ?");
                args.add(filter[1]);
            }
        }
        sql.append(" ORDER BY t.id LIMIT ").append(page.limit() + 1);
        return page.page(tx.executeRead(status1 -> jdbc.list(status1.getConnection(), TenantScope.of(caller), sql.toString(),
                this::view, args.toArray())), TransactionView::id);
    }

    public TransactionView get(Caller caller, UUID id) {
        Scope scope = Access.require(caller, Resource.COMMISSION_TRANSACTION, Action.READ);
        return tx.executeRead(status -> find(status.getConnection(), caller, scope, id, false))
                .orElseThrow(() -> ProblemException.notFound("commission transaction"));
    }

    public TransactionView pay(Caller caller, UUID id, RequestInfo info) {
        return changeStatus(caller, id, info, Action.PAY);
    }

    public TransactionView cancel(Caller caller, UUID id, RequestInfo info) {
        return changeStatus(caller, id, info, Action.CANCEL);
    }

    private TransactionView changeStatus(Caller caller, UUID id, RequestInfo info, Action action) {
        Access.require(caller, Resource.COMMISSION_TRANSACTION, action); // 403 before any lookup (see Access)
        Scope readScope = Access.require(caller, Resource.COMMISSION_TRANSACTION, Action.READ);
        EventfulTransaction.Committed<TransactionView> committed = writes.execute(c -> {
            TenantScope scope = TenantScope.of(caller);
            TransactionView before = find(c, caller, readScope, id, true)
                    .orElseThrow(() -> ProblemException.notFound("commission transaction"));
            if (Access.scope(caller, Resource.COMMISSION_TRANSACTION, action).isEmpty()) {
                throw Access.forbiddenOnRow(Resource.COMMISSION_TRANSACTION, action);
            }
            if (!"pending".equals(before.paymentStatus())) {
                throw new ProblemException(HttpStatus.CONFLICT, "Conflict", action == Action.CANCEL && "paid".equals(before.paymentStatus())
                        ? "a paid commission cannot be cancelled"
                        : "the commission is already " + before.paymentStatus(), null);
            }
            jdbc.update(c, scope, action == Action.PAY ? PAY : CANCEL, caller.actorId(), id);
            TransactionView after = find(c, caller, Scope.CO, id, false).orElseThrow();
            List<UUID> recipients = jdbc.list(c, scope, USER_OF_AGENT, rs -> rs.getObject(1, UUID.class), after.agentId());
            EventPayload payload = action == Action.PAY
                    ? new CommissionPaid(id, after.saleId(), after.agentId(), after.role(), after.amount().toPlainString(),
                            after.paymentStatus(), recipients)
                    : new CommissionCancelled(id, after.saleId(), after.agentId(), after.role(), after.amount().toPlainString(),
                            after.paymentStatus(), recipients);
            EventEnvelope event = EventEnvelope.create(action == Action.PAY ? EventType.COMMISSION_PAID : EventType.COMMISSION_CANCELLED,
                    after.companyId(), actor(caller, info), info.requestId(), null,
                    new AggregateRef("commission_transaction", id.toString()), payload);
            return new EventfulTransaction.Result<>(after, List.of(event));
        });
        return committed.value().withEvents(committed.events());
    }

    private Optional<TransactionView> find(Connection c, Caller caller, Scope scope, UUID id, boolean lock) throws SQLException {
        String sql = COLUMNS + " AND t.id = ?" + (scope == Scope.OWN ? " AND " + OwnConditions.agentIs("t.agent_id") : "")
                + (lock ? " FOR UPDATE" : "");
        Object[] args = scope == Scope.OWN ? new Object[]{id, caller.userId()} : new Object[]{id};
        return jdbc.one(c, TenantScope.of(caller), sql, this::view, args);
    }

    public static Actor actor(Caller caller, RequestInfo info) {
        return new Actor(caller.actorId(), caller.profileCodes(), null, info.sourceIp(), info.userAgent());
    }

    @SuppressWarnings("unchecked")
    private TransactionView view(ResultSet rs) throws SQLException {
        Map<String, Object> snapshot;
        try {
            snapshot = json.readValue(rs.getString(7), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TransactionView(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                rs.getObject(4, UUID.class), rs.getString(5), rs.getObject(6, UUID.class), snapshot, rs.getBigDecimal(8),
                rs.getBigDecimal(9), rs.getBigDecimal(10), rs.getBigDecimal(11), rs.getString(12), instant(rs.getTimestamp(13)),
                instant(rs.getTimestamp(14)), rs.getTimestamp(15).toInstant(), rs.getString(16), null);
    }

    private static java.time.Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
