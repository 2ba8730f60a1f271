package realty.core.outbox;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import realty.core.broker.BrokerUnavailableException;
import realty.core.broker.EventPublisher;
import realty.core.broker.OutgoingMessage;
import realty.core.observability.EventMetrics;
import realty.core.topology.Topology;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
 * <p>Rows are locked with {@code FOR UPDATE SKIP LOCKED} while they are published, so the API call
 * that wrote them and any number of relays never publish the same row at the same time. A row is
 * marked {@code PUBLISHED} only after the broker confirmed it; if the broker is down the rows stay
 * {@code PENDING} and the next relay run takes them.
 */
@Singleton
public class OutboxPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxPublisher.class);

    private static final String SELECT_COLUMNS = "SELECT id, type, priority, correlation_id, occurred_at, body::text FROM outbox_events ";
    private static final String LOCK_BY_ID = SELECT_COLUMNS
            + "WHERE id = ANY(?) AND status = 'PENDING' ORDER BY seq FOR UPDATE SKIP LOCKED";
    private static final String LOCK_OLDEST = SELECT_COLUMNS
            + "WHERE status = 'PENDING' AND occurred_at < now() - make_interval(secs => ?) "
            + "ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED";
    private static final String MARK_PUBLISHED = "UPDATE outbox_events SET status = 'PUBLISHED', published_at = now(), "
            + "publish_attempts = publish_attempts + 1, last_publish_error = NULL WHERE id = ANY(?)";

    private static final String BACKLOG = "SELECT count(*), EXTRACT(EPOCH FROM now() - min(occurred_at)) "
            + "FROM outbox_events WHERE status = 'PENDING'";

    private final TransactionOperations<Connection> tx;
    private final EventPublisher publisher;
    private final OutboxSettings settings;
    /** Set when a publish failed; the next successful one drains the backlog. */
    private volatile boolean brokerWasDown;
    private final EventMetrics metrics;

    public OutboxPublisher(TransactionOperations<Connection> tx, EventPublisher publisher, OutboxSettings settings,
                           EventMetrics metrics) {
        this.tx = tx;
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
            List<UUID> published = tx.executeWrite(status -> {
                try (PreparedStatement ps = status.getConnection().prepareStatement(LOCK_BY_ID)) {
                    ps.setArray(1, status.getConnection().createArrayOf("uuid", ids.toArray()));
                    return publishLocked(status.getConnection(), ps);
                }
            });
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
            tx.executeRead(status -> {
                try (PreparedStatement ps = status.getConnection().prepareStatement(BACKLOG);
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    double age = rs.getDouble(2);
                    metrics.outboxBacklog(rs.getLong(1), rs.wasNull() ? Duration.ZERO : Duration.ofMillis((long) (age * 1000)));
                    return null;
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("could not measure the outbox backlog: {}", e.getMessage());
        }
    }

    private int relayAll() throws BrokerUnavailableException {
        int total = 0;
        while (true) {
            List<UUID> published;
            try {
                published = tx.executeWrite(status -> {
                    try (PreparedStatement ps = status.getConnection().prepareStatement(LOCK_OLDEST)) {
                        ps.setDouble(1, settings.getRelayGrace().toMillis() / 1000.0);
                        ps.setInt(2, settings.getRelayBatchSize());
                        return publishLocked(status.getConnection(), ps);
                    }
                });
            } catch (PublishFailed e) {
                throw e.cause;
            }
            total += published.size();
            if (published.size() < settings.getRelayBatchSize()) {
                return total;
            }
        }
    }

    private List<UUID> publishLocked(Connection connection, PreparedStatement lock) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        List<OutgoingMessage> messages = new ArrayList<>();
        Map<String, Integer> perType = new java.util.TreeMap<>();
        try (ResultSet rs = lock.executeQuery()) {
            while (rs.next()) {
                UUID id = rs.getObject(1, UUID.class);
                ids.add(id);
                perType.merge(rs.getString(2), 1, Integer::sum);
                messages.add(new OutgoingMessage(Topology.EXCHANGE, rs.getString(2), id.toString(), rs.getString(2),
                        rs.getInt(3), rs.getString(4), rs.getTimestamp(5).toInstant(), Map.of(),
                        rs.getString(6).getBytes(StandardCharsets.UTF_8)));
            }
        }
        if (ids.isEmpty()) {
            return ids;
        }
        try {
            publisher.publish(messages);
        } catch (BrokerUnavailableException e) {
            throw new PublishFailed(e);
        }
        perType.forEach(metrics::published);
        try (PreparedStatement mark = connection.prepareStatement(MARK_PUBLISHED)) {
            mark.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            mark.executeUpdate();
        }
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
