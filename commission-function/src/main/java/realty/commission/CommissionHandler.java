package realty.commission;

import jakarta.inject.Named;
import jakarta.inject.Singleton;
import realty.core.commission.CommissionSplitter;
import realty.core.commission.SaleToSplit;
import realty.core.commission.SplitResult;
import realty.core.consumer.EventHandler;
import realty.core.consumer.HandlerContext;
import realty.core.consumer.PermanentFailureException;
import realty.core.event.Actor;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.CommissionSplitRequested;
import realty.core.tenancy.RowScope;
import realty.core.tenancy.TenantScope;
import realty.core.topology.Topology;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The asynchronous half of the CommissionSplit observer (domain.md §4–5): for a
 * {@code commission.split.requested} event it splits the commissions of the bulk's sales, writes all
 * their transactions in one statement and emits {@code commission.calculated} per sale.
 *
 * <p>Idempotent beyond the runtime's outcome record: only sales still {@code pending} are split
 * (locked, so a concurrent cancel waits or wins), and the insert skips any (sale, role) that
 * already has a transaction. A redelivered or replayed event therefore writes and emits nothing.
 */
@Singleton
@Named(Topology.COMMISSION)
public class CommissionHandler implements EventHandler {
    private static final Actor ACTOR = Actor.system(Topology.COMMISSION);
    private final SaleCommissionRepository sales;
    private final CommissionSplitter splitter;

    public CommissionHandler(SaleCommissionRepository sales, CommissionSplitter splitter) {
        this.sales = sales;
        this.splitter = splitter;
    }

    /** Database writes only: safe to undo and run again. */
    @Override
    public boolean repeatable() {
        return true;
    }

    @Override
    public Set<EventType> handledTypes() {
        return Set.of(EventType.COMMISSION_SPLIT_REQUESTED);
    }

    @Override
    public void handle(EventEnvelope event, HandlerContext context) throws Exception {
        if (event.companyId() == null) {
            throw new PermanentFailureException("commission.split.requested without a companyId");
        }
        List<UUID> saleIds = saleIds(event);
        // The event's company bounds everything it may touch.
        TenantScope scope = TenantScope.companies(Set.of(event.companyId()));
        Connection c = context.connection();
        List<SaleToSplit> pending = sales.lockPending(RowScope.of(scope), c.createArrayOf("uuid", saleIds.toArray()));
        if (pending.isEmpty()) {
            return;
        }
        List<SplitResult> results = splitter.split(c, scope, pending, "event:" + event.id());
        recordStatus(c, scope, results);
        for (SplitResult r : results) {
            context.emit(CommissionSplitter.calculatedEvent(r, ACTOR, event.correlationId(), event.id()));
        }
    }

    private void recordStatus(Connection c, TenantScope scope, List<SplitResult> results) throws SQLException {
        sales.recordStatus(RowScope.of(scope), c.createArrayOf("uuid", results.stream().map(r -> r.sale().saleId()).toArray()),
                results.stream().map(r -> r.status().code()).toArray(String[]::new));
    }

    private static List<UUID> saleIds(EventEnvelope event) throws PermanentFailureException {
        CommissionSplitRequested payload = event.payloadAs(CommissionSplitRequested.class)
                .orElseThrow(() -> new PermanentFailureException(event.payloadProblem(CommissionSplitRequested.class)));
        if (payload.saleIds().isEmpty()) {
            throw new PermanentFailureException("commission.split.requested without saleIds");
        }
        return payload.saleIds();
    }
}
