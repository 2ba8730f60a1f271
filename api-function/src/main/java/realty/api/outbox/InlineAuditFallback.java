package realty.api.outbox;

import realty.core.audit.AuditRecorder;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import realty.core.bulk.BulkProgress;
import realty.core.consumer.ConsumerOutcomes;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.observability.EventLog;
import realty.core.observability.EventMetrics;
import realty.core.outbox.Outbox;
import realty.core.topology.Topology;
import realty.core.topology.WorkQueue;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * spec/events.md §4: while the broker is unreachable, the API writes the audit rows of its
 * just-committed events itself instead of leaving them to the audit function. It records the
 * {@code (event, audit)} outcome as PROCESSED in the same transaction, exactly as the audit
 * function would, so when the relay later publishes the event its queued delivery is skipped as a
 * duplicate. Failing here changes nothing: the events are still in the outbox and get audited by
 * the queue the usual way.
 */
@Singleton
public class InlineAuditFallback {
    private static final Logger LOG = LoggerFactory.getLogger(InlineAuditFallback.class);
    static final String FUNCTION = "api";

    private final TransactionOperations<Connection> tx;
    private final ConsumerOutcomes outcomes;
    private final AuditRecorder recorder;
    private final WorkQueue audit;
    private final EventMetrics metrics;
    private final BulkProgress bulks;
    private final Outbox outbox;

    public InlineAuditFallback(TransactionOperations<Connection> tx, ConsumerOutcomes outcomes, AuditRecorder recorder,
                               Topology topology, EventMetrics metrics, BulkProgress bulks, Outbox outbox) {
        this.tx = tx;
        this.outcomes = outcomes;
        this.recorder = recorder;
        this.audit = topology.queueOfFunction(Topology.AUDIT);
        this.metrics = metrics;
        this.bulks = bulks;
        this.outbox = outbox;
    }

    /** Audits those of {@code events} that the audit queue would receive. */
    public void audit(List<EventEnvelope> events) {
        List<EventEnvelope> audited = events.stream()
                .filter(e -> EventType.fromName(e.type()).map(audit::receives).orElse(false)).toList();
        if (audited.isEmpty()) {
            return;
        }
        List<EventLog.Handled> handled = new ArrayList<>();
        try {
            tx.executeWrite(status -> {
                Connection c = status.getConnection();
                Map<UUID, String> current = outcomes.lock(c, audit.function(), audited.stream().map(EventEnvelope::id).toList());
                List<ConsumerOutcomes.Outcome> recorded = new ArrayList<>();
                List<BulkProgress.Settled> settled = new ArrayList<>();
                for (EventEnvelope e : audited) {
                    if (ConsumerOutcomes.PROCESSED.equals(current.get(e.id()))) {
                        continue;
                    }
                    if (!ConsumerOutcomes.isFinal(current.get(e.id()))) {
                        settled.add(new BulkProgress.Settled(e, false));
                    }
                    long started = System.nanoTime();
                    recorder.record(c, e);
                    long micros = (System.nanoTime() - started) / 1000;
                    recorded.add(new ConsumerOutcomes.Outcome(e.id(), ConsumerOutcomes.PROCESSED, 1, null, micros));
                    handled.add(new EventLog.Handled(FUNCTION, audit.name(), e.id().toString(), e.type(), e.companyId(),
                            e.correlationId(), 1, EventMetrics.Outcome.PROCESSED, micros, false, null));
                }
                outcomes.record(c, audit.function(), recorded);
                // A bulk's audit deliveries count as settled here, as they would in the audit function.
                outbox.append(c, bulks.settle(settled, List.of()));
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("inline audit fallback failed, {} events stay with the audit queue: {}", audited.size(), e.getMessage());
            return;
        }
        for (EventLog.Handled h : handled) {
            metrics.handled(h.queue(), h.eventType(), h.outcome(), h.durationMicros());
            EventLog.write(h);
        }
        LOG.info("broker unreachable: audited {} events inline", handled.size());
    }
}
