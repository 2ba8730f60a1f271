package realty.core.outbox;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import realty.core.broker.BrokerUnavailableException;
import realty.core.broker.EventPublisher;
import realty.core.broker.OutgoingMessage;
import realty.core.db.GenericPlans;
import realty.core.event.EventEnvelope;
import realty.core.observability.EventMetrics;
import realty.core.topology.Topology;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Moves committed events from the outbox to the broker.
 *
 * <p>The relay locks rows with {@code FOR UPDATE SKIP LOCKED} while it publishes them, so relays never
 * publish the same row at the same time; the API publishes its own just-committed rows without a lock
 * ({@link #publishCommitted(List, List)}), and the relay leaves rows younger than
 * {@code realty.outbox.relay-grace} alone. A row is
 * marked {@code PUBLISHED} only after the broker confirmed it; if the broker is down the rows stay
 * {@code PENDING} and the next relay run takes them.
 */
@Singleton
public class OutboxPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxPublisher.class);

    private final TransactionOperations<Connection> tx;
    private final OutboxRepository rows;
    private final EventPublisher publisher;
    private final OutboxSettings settings;
    /** Set when a publish failed; the next successful one drains the backlog. */
    private volatile boolean brokerWasDown;
    private final EventMetrics metrics;

    public OutboxPublisher(TransactionOperations<Connection> tx, OutboxRepository rows, EventPublisher publisher,
                           OutboxSettings settings, EventMetrics metrics) {
        this.tx = tx;
        this.rows = rows;
        this.publisher = publisher;
        this.settings = settings;
        this.metrics = metrics;
    }

    /**
     * Publishes the given just-committed events. Never throws for a broker problem: the events
     * stay pending for the relay, and the write that produced them has succeeded anyway.
     *
     * @return the ids that are now published
     */
    public List<UUID> publishCommitted(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        try {
            List<UUID> published = tx.executeWrite(status -> publishLocked(status.getConnection(),
                    rows.lockPending(status.getConnection().createArrayOf("uuid", ids.toArray()))));
            if (brokerWasDown) {
                drainAfterRecovery();
            }
            return published;
        } catch (RuntimeException e) {
            brokerWasDown = true;
            LOG.warn("events left pending for the relay: {}", e.getMessage());
            return List.of();
        }
    }

    /**
     * Publishes events this process has just committed, on the shared confirm channel, and marks
     * them {@code PUBLISHED} once the broker confirmed them. No row is locked and no transaction is
     * open while the confirm is awaited: the rows are the caller's own, and the relay only takes rows
     * older than {@code realty.outbox.relay-grace}. Never throws for a broker problem: on a nack, a
     * timeout or an unreachable broker the events stay {@code PENDING} for the relay, and the write
     * that produced them has succeeded anyway.
     *
     * @param bodies the events' JSON as {@link Outbox#append} stored it, in the same order
     * @return the ids that are now published
     */
    public List<UUID> publishCommitted(List<EventEnvelope> events, List<byte[]> bodies) {
        if (events.isEmpty()) {
            return List.of();
        }
        List<UUID> ids = new ArrayList<>(events.size());
        List<OutgoingMessage> messages = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            EventEnvelope e = events.get(i);
            ids.add(e.id());
            messages.add(new OutgoingMessage(Topology.EXCHANGE, e.type(), e.id().toString(), e.type(),
                    e.eventType().priority(), e.correlationId(), e.occurredAt(), Map.of(), bodies.get(i)));
        }
        try {
            publisher.publishConfirmed(messages);
            tx.executeWrite(status -> {
                // On kept plans (GenericPlans, checked by HotPathPlansTest): once per API write, planned
                // every time it cost 0.12 ms of PostgreSQL per request (docs/benchmarks.md).
                GenericPlans.force(status.getConnection());
                rows.markPublished(status.getConnection().createArrayOf("uuid", ids.toArray()));
                return null;
            });
        } catch (BrokerUnavailableException | RuntimeException e) {
            brokerWasDown = true;
            LOG.warn("events left pending for the relay: {}", e.getMessage());
            return List.of();
        }
        for (EventEnvelope e : events) {
            metrics.published(e.type(), 1);
        }
        if (brokerWasDown) {
            drainAfterRecovery();
        }
        return ids;
    }

    /**
     * The first publish that works after failures also drains what piled up meanwhile, so recovery
     * does not wait for the next scheduled relay run (once a minute in AWS).
     */
    private void drainAfterRecovery() {
        brokerWasDown = false;
        try {
            int n = relayAll();
            LOG.info("broker reachable again: published {} events left pending", n);
        } catch (BrokerUnavailableException | RuntimeException e) {
            brokerWasDown = true;
            LOG.warn("draining pending events after recovery failed, the relay will retry: {}", e.getMessage());
        }
    }

    /**
     * One relay pass: publishes pending rows older than the grace period, oldest first, in
     * batches, until none is left or the broker fails.
     *
     * @return how many events were published
     */
    public int relayPending() throws BrokerUnavailableException {
        try {
            return relayAll();
        } finally {
            measureBacklog();
        }
    }

    /** Counts the rows still pending and the age of the oldest, for the outbox gauges. */
    public void measureBacklog() {
        try {
            OutboxRepository.Backlog backlog = tx.executeRead(status -> rows.backlog());
            Double age = backlog.oldestAgeSeconds();
            metrics.outboxBacklog(backlog.pending(), age == null ? Duration.ZERO : Duration.ofMillis((long) (age * 1000)));
        } catch (RuntimeException e) {
            LOG.warn("could not measure the outbox backlog: {}", e.getMessage());
        }
    }

    private int relayAll() throws BrokerUnavailableException {
        int total = 0;
        while (true) {
            List<UUID> published;
            try {
                published = tx.executeWrite(status -> publishLocked(status.getConnection(),
                        rows.lockOldestPending(settings.getRelayGrace().toMillis() / 1000.0, settings.getRelayBatchSize())));
            } catch (PublishFailed e) {
                throw e.cause;
            }
            total += published.size();
            if (published.size() < settings.getRelayBatchSize()) {
                return total;
            }
        }
    }

    private List<UUID> publishLocked(Connection connection, List<OutboxRepository.Pending> locked) throws SQLException {
        if (locked.isEmpty()) {
            return List.of();
        }
        List<UUID> ids = new ArrayList<>(locked.size());
        List<OutgoingMessage> messages = new ArrayList<>(locked.size());
        Map<String, Integer> perType = new java.util.TreeMap<>();
        for (OutboxRepository.Pending row : locked) {
            ids.add(row.id());
            perType.merge(row.type(), 1, Integer::sum);
            messages.add(new OutgoingMessage(Topology.EXCHANGE, row.type(), row.id().toString(), row.type(),
                    row.priority(), row.correlationId(), row.occurredAt(), Map.of(),
                    row.body().getBytes(StandardCharsets.UTF_8)));
        }
        try {
            publisher.publish(messages);
        } catch (BrokerUnavailableException e) {
            throw new PublishFailed(e);
        }
        perType.forEach(metrics::published);
        rows.markPublished(connection.createArrayOf("uuid", ids.toArray()));
        return ids;
    }

    /** Unwinds the transaction (releasing the row locks) when the broker refuses a batch. */
    private static final class PublishFailed extends RuntimeException {
        private final BrokerUnavailableException cause;

        PublishFailed(BrokerUnavailableException cause) {
            super(cause.getMessage(), cause, false, false);
            this.cause = cause;
        }
    }
}
