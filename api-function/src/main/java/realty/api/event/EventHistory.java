package realty.api.event;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import realty.core.consumer.ConsumerOutcomes;
import realty.core.event.AggregateRef;
import realty.core.event.EventType;
import realty.core.tenancy.TenantJdbc;
import realty.core.tenancy.TenantScope;
import realty.core.topology.Topology;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads the event store (the outbox) and the consumer outcomes. The consumers an event must reach
 * come from the topology's bindings, so adding a binding changes what PROCESSED means.
 */
@Singleton
public class EventHistory {
    private static final String EVENT = """
            SELECT id, type, company_id, aggregate_type, aggregate_id, correlation_id, occurred_at, status, published_at
            FROM outbox_events WHERE id = ?""";
    /** The event store as the history of one row, oldest first, within the caller's companies. */
    private static final String BY_AGGREGATE = """
            SELECT e.id, e.type, e.company_id, e.aggregate_type, e.aggregate_id, e.correlation_id, e.occurred_at, e.status,
                   e.published_at, e.seq
            FROM outbox_events e
            WHERE e.aggregate_type = ? AND e.aggregate_id = ? AND e.seq > ? AND {scope:e}
            ORDER BY e.seq LIMIT ?""";
    private static final String OUTCOMES = """
            SELECT consumer, status, attempts, processed_at, last_error, duration_micros
            FROM consumer_outcomes WHERE event_id = ? ORDER BY consumer""";

    private final TransactionOperations<Connection> tx;
    private final Topology topology;
    private final TenantJdbc jdbc;

    public EventHistory(TransactionOperations<Connection> tx, Topology topology, TenantJdbc jdbc) {
        this.tx = tx;
        this.topology = topology;
        this.jdbc = jdbc;
    }

    /** One page of an aggregate's events; {@code nextCursor} is null on the last page. */
    public record Page(List<EventStatusView> items, String nextCursor) {
    }

    public Page byAggregate(TenantScope scope, String aggregateType, String aggregateId, long afterSeq, int limit) {
        return tx.executeRead(status -> {
            Connection c = status.getConnection();
            record Row(EventStatusView.Head head, long seq) {
            }
            List<Row> rows = jdbc.list(c, scope, BY_AGGREGATE, rs -> new Row(new EventStatusView.Head(
                    rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class),
                    new AggregateRef(rs.getString(4), rs.getString(5)), rs.getString(6), rs.getTimestamp(7).toInstant(),
                    rs.getString(8), instant(rs.getTimestamp(9))), rs.getLong(10)),
                    aggregateType, aggregateId, afterSeq, limit + 1);
            List<EventStatusView> items = new ArrayList<>();
            for (Row row : rows.subList(0, Math.min(limit, rows.size()))) {
                items.add(view(c, row.head()));
            }
            String next = rows.size() > limit ? Long.toString(rows.get(limit - 1).seq()) : null;
            return new Page(items, next);
        });
    }

    private EventStatusView view(Connection c, EventStatusView.Head h) throws java.sql.SQLException {
        Map<String, EventStatusView.ConsumerView> consumers = new LinkedHashMap<>();
        EventType.fromName(h.type()).ifPresent(t -> topology.expectedConsumers(t).forEach(name ->
                consumers.put(name, new EventStatusView.ConsumerView(name, "PENDING", 0, null, null, null))));
        consumers.putAll(outcomes(c, h.id()));
        return new EventStatusView(h.id(), h.type(), overall(h.outboxStatus(), consumers.values()), h.companyId(),
                h.aggregate(), h.correlationId(), h.occurredAt(), h.publishedAt(), new ArrayList<>(consumers.values()));
    }

    public Optional<EventStatusView> find(UUID id) {
        return tx.executeRead(status -> {
            Connection c = status.getConnection();
            try (PreparedStatement ps = c.prepareStatement(EVENT)) {
                ps.setObject(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    String type = rs.getString(2);
                    Map<String, EventStatusView.ConsumerView> consumers = new LinkedHashMap<>();
                    EventType.fromName(type).ifPresent(t -> topology.expectedConsumers(t).forEach(name ->
                            consumers.put(name, new EventStatusView.ConsumerView(name, "PENDING", 0, null, null, null))));
                    consumers.putAll(outcomes(c, id));
                    String outbox = rs.getString(8);
                    return Optional.of(new EventStatusView(id, type, overall(outbox, consumers.values()),
                            rs.getObject(3, UUID.class), new AggregateRef(rs.getString(4), rs.getString(5)), rs.getString(6),
                            rs.getTimestamp(7).toInstant(), instant(rs.getTimestamp(9)), new ArrayList<>(consumers.values())));
                }
            }
        });
    }

    private static Map<String, EventStatusView.ConsumerView> outcomes(Connection c, UUID id) throws java.sql.SQLException {
        Map<String, EventStatusView.ConsumerView> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(OUTCOMES)) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String s = rs.getString(2);
                    long micros = rs.getLong(6);
                    out.put(rs.getString(1), new EventStatusView.ConsumerView(rs.getString(1), "RECEIVED".equals(s) ? "PENDING" : s,
                            rs.getInt(3), instant(rs.getTimestamp(4)), rs.getString(5), rs.wasNull() ? null : micros / 1000.0));
                }
            }
        }
        return out;
    }

    static String overall(String outboxStatus, java.util.Collection<EventStatusView.ConsumerView> consumers) {
        if ("PENDING".equals(outboxStatus)) {
            return "PENDING";
        }
        if (consumers.stream().anyMatch(c -> ConsumerOutcomes.DEAD.equals(c.status()))) {
            return "DEAD";
        }
        if (consumers.stream().anyMatch(c -> ConsumerOutcomes.RETRYING.equals(c.status()))) {
            return "RETRYING";
        }
        if (!consumers.isEmpty() && consumers.stream().allMatch(c -> ConsumerOutcomes.PROCESSED.equals(c.status()))) {
            return "PROCESSED";
        }
        return "PUBLISHED";
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
