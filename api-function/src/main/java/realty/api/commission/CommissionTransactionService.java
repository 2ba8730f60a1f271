package realty.api.commission;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import realty.api.security.OwnRows;
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
import realty.core.tenancy.RowScope;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Commission transactions (domain.md §2.2–3): read, pay, cancel. Never deleted; a paid one cannot be
 * cancelled; amounts never change. The database enforces the same rules (V3 triggers and checks).
 */
@Singleton
public class CommissionTransactionService {
    private static final Set<String> STATUSES = Set.of("pending", "paid", "cancelled");
    private final EventfulTransaction writes;
    private final CommissionTransactionRepository transactions;
    private final JsonMapper json;

    public CommissionTransactionService(EventfulTransaction writes, CommissionTransactionRepository transactions, JsonMapper json) {
        this.writes = writes;
        this.transactions = transactions;
        this.json = json;
    }

    public Page<TransactionView> list(Caller caller, @Nullable UUID saleId, @Nullable UUID agentId, @Nullable String status,
                                      PageRequest page) {
        Access.require(caller, Resource.COMMISSION_TRANSACTION, Action.READ);
        if (status != null && !STATUSES.contains(status)) {
            throw ProblemException.badRequest("invalid status", Map.of("status", "one of pending, paid, cancelled"));
        }
        return page.page(transactions.list(OwnRows.scope(caller, Resource.COMMISSION_TRANSACTION, Action.READ), page.afterOrMin(),
                saleId, agentId, status, page.limit() + 1).stream().map(this::view).toList(), TransactionView::id);
    }

    public TransactionView get(Caller caller, UUID id) {
        Access.require(caller, Resource.COMMISSION_TRANSACTION, Action.READ);
        return transactions.find(OwnRows.scope(caller, Resource.COMMISSION_TRANSACTION, Action.READ), id).map(this::view)
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
        Access.require(caller, Resource.COMMISSION_TRANSACTION, Action.READ);
        EventfulTransaction.Committed<TransactionView> committed = writes.execute(c -> {
            RowScope scope = RowScope.of(caller);
            TransactionView before = transactions.lock(OwnRows.scope(caller, Resource.COMMISSION_TRANSACTION, Action.READ), id)
                    .map(this::view)
                    .orElseThrow(() -> ProblemException.notFound("commission transaction"));
            if (Access.scope(caller, Resource.COMMISSION_TRANSACTION, action).isEmpty()) {
                throw Access.forbiddenOnRow(Resource.COMMISSION_TRANSACTION, action);
            }
            if (!"pending".equals(before.paymentStatus())) {
                throw new ProblemException(HttpStatus.CONFLICT, "Conflict", action == Action.CANCEL && "paid".equals(before.paymentStatus())
                        ? "a paid commission cannot be cancelled"
                        : "the commission is already " + before.paymentStatus(), null);
            }
            if (action == Action.PAY) {
                transactions.pay(scope, id, caller.actorId());
            } else {
                transactions.cancel(scope, id, caller.actorId());
            }
            TransactionView after = transactions.find(scope, id).map(this::view).orElseThrow();
            List<UUID> recipients = transactions.userOfAgent(scope, after.agentId());
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

    public static Actor actor(Caller caller, RequestInfo info) {
        return new Actor(caller.actorId(), caller.profileCodes(), null, info.sourceIp(), info.userAgent());
    }

    @SuppressWarnings("unchecked")
    private TransactionView view(CommissionTransactionRepository.Row r) {
        Map<String, Object> snapshot;
        try {
            snapshot = json.readValue(r.ruleSnapshot(), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TransactionView(r.id(), r.companyId(), r.saleId(), r.agentId(), r.role(), r.ruleId(), snapshot, r.baseAmount(),
                r.commissionTotal(), r.percentageApplied(), r.amount(), r.paymentStatus(), r.paidAt(), r.cancelledAt(),
                r.calculatedAt(), r.calculatedBy(), null);
    }
}
