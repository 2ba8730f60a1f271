package realty.commission;

import jakarta.inject.Named;
import jakarta.inject.Singleton;
import realty.core.commission.CommissionSplitter;
import realty.core.commission.SaleToSplit;
import realty.core.commission.SplitResult;
import realty.core.consumer.BatchEventHandler;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 *
 * <p>A batch is split at once, one pass per company ({@link #handleBatch}): the same statements as
 * for one request, over all the batch's sales, instead of about nine round trips per request (a
 * drain of one-sale requests was waiting on PostgreSQL for most of its 2.4–3.1 ms per event,
 * docs/benchmarks.md, "the commission batch"). Each sale is split for the first request of the
 * batch that names it: its transactions and its {@code commission.calculated} name that request.
 * A request the batch cannot take (no company, no sales, an unreadable payload) fails the pass,
 * and the runtime runs the batch again one request at a time to isolate it.
 */
@Singleton
@Named(Topology.COMMISSION)
public class CommissionHandler implements BatchEventHandler {
    private static final Actor ACTOR = Actor.system(Topology.COMMISSION);
    private final SaleCommissionRepository sales;
    private final CommissionSplitter splitter;

    public CommissionHandler(SaleCommissionRepository sales, CommissionSplitter splitter) {
        this.sales = sales;
        this.splitter = splitter;
    }

    @Override
    public Set<EventType> handledTypes() {
        return Set.of(EventType.COMMISSION_SPLIT_REQUESTED);
    }

    @Override
    public void handle(EventEnvelope event, HandlerContext context) throws Exception {
        split(companyOf(event), List.of(new Request(event, saleIds(event))), context);
    }

    /** Database writes only (BatchEventHandler): safe to undo and run again one request at a time. */
    @Override
    public void handleBatch(List<EventEnvelope> events, HandlerContext context) throws Exception {
        Map<UUID, List<Request>> byCompany = new LinkedHashMap<>();
        for (EventEnvelope e : events) {
            byCompany.computeIfAbsent(companyOf(e), k -> new ArrayList<>()).add(new Request(e, saleIds(e)));
        }
        for (Map.Entry<UUID, List<Request>> company : byCompany.entrySet()) {
            split(company.getKey(), company.getValue(), context);
        }
    }

    /** A split request and the sales it names. */
    private record Request(EventEnvelope event, List<UUID> saleIds) {
    }

    /** The requests' pending sales of one company, split in one pass: each for the first request that names it. */
    private void split(UUID company, List<Request> requests, HandlerContext context) throws Exception {
        Map<UUID, EventEnvelope> askedBy = new LinkedHashMap<>();
        for (Request r : requests) {
            r.saleIds().forEach(sale -> askedBy.putIfAbsent(sale, r.event()));
        }
        // The request's company bounds everything it may touch.
        TenantScope scope = TenantScope.companies(Set.of(company));
        Connection c = context.connection();
        List<SaleToSplit> pending = sales.lockPending(RowScope.of(scope), c.createArrayOf("uuid", askedBy.keySet().toArray()));
        if (pending.isEmpty()) {
            return;
        }
        List<SplitResult> results = splitter.split(c, scope, pending, sale -> "event:" + askedBy.get(sale.saleId()).id());
        recordStatus(c, scope, results);
        for (SplitResult r : results) {
            EventEnvelope request = askedBy.get(r.sale().saleId());
            context.emit(CommissionSplitter.calculatedEvent(r, ACTOR, request.correlationId(), request.id()));
        }
    }

    private static UUID companyOf(EventEnvelope event) throws PermanentFailureException {
        if (event.companyId() == null) {
            throw new PermanentFailureException("commission.split.requested without a companyId");
        }
        return event.companyId();
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
