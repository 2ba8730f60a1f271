package realty.api.event;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import realty.core.consumer.ConsumerOutcomes;
import realty.core.event.AggregateRef;
import realty.core.event.EventType;
import realty.core.tenancy.RowScope;
import realty.core.topology.Topology;

import java.sql.Connection;
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
    private final TransactionOperations<Connection> tx;
    private final Topology topology;
    private final EventRepository events;

    public EventHistory(TransactionOperations<Connection> tx, Topology topology, EventRepository events) {
        this.tx = tx;
        this.topology = topology;
        this.events = events;
    }

    /** One page of an aggregate's events; {@code nextCursor} is null on the last page. */
    public record Page(List<EventStatusView> items, String nextCursor) {
    }

    public Page byAggregate(RowScope scope, String aggregateType, String aggregateId, long afterSeq, int limit) {
        return tx.executeRead(status -> {
            List<EventRepository.Head> rows = events.byAggregate(scope, aggregateType, aggregateId, afterSeq, limit + 1);
            List<EventStatusView> items = new ArrayList<>();
            for (EventRepository.Head row : rows.subList(0, Math.min(limit, rows.size()))) {
                items.add(view(row));
            }
            String next = rows.size() > limit ? Long.toString(rows.get(limit - 1).seq()) : null;
            return new Page(items, next);
        });
    }

    /** One page of the failing events (RETRYING, DEAD) of the scope's companies, newest first. */
    public Page failing(RowScope scope, @Nullable String status, @Nullable String type, @Nullable String correlationId,
                        long beforeSeq, int limit) {
        return tx.executeRead(s -> {
            List<EventRepository.Head> rows = events.failing(scope, status, type, correlationId, beforeSeq, limit + 1);
            List<EventStatusView> items = new ArrayList<>();
            for (EventRepository.Head row : rows.subList(0, Math.min(limit, rows.size()))) {
                items.add(view(row));
            }
            String next = rows.size() > limit ? Long.toString(rows.get(limit - 1).seq()) : null;
            return new Page(items, next);
        });
    }

    public Optional<EventStatusView> find(RowScope scope, UUID id) {
        return tx.executeRead(status -> events.find(scope, id).map(this::view));
    }

    private EventStatusView view(EventRepository.Head h) {
        Map<String, EventStatusView.ConsumerView> consumers = new LinkedHashMap<>();
        EventType.fromName(h.type()).ifPresent(t -> topology.expectedConsumers(t).forEach(name ->
                consumers.put(name, new EventStatusView.ConsumerView(name, "PENDING", 0, null, null, null))));
        for (EventRepository.Outcome o : events.outcomes(h.id())) {
            consumers.put(o.consumer(), new EventStatusView.ConsumerView(o.consumer(), "RECEIVED".equals(o.status()) ? "PENDING" : o.status(),
                    o.attempts(), o.processedAt(), o.lastError(), o.durationMicros() == null ? null : o.durationMicros() / 1000.0));
        }
        return new EventStatusView(h.id(), h.type(), overall(h.status(), consumers.values()), h.companyId(),
                new AggregateRef(h.aggregateType(), h.aggregateId()), h.correlationId(), h.occurredAt(), h.publishedAt(),
                new ArrayList<>(consumers.values()));
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
}
