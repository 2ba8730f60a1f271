package realty.core.bulk;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.BulkOperationFinished;
import realty.core.id.TimeOrderedIds;
import realty.core.tenancy.RowScope;
import realty.core.topology.Topology;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Knows when every consumer has finished a bulk import or bulk sale (docs/architecture.md, "Bulk
 * operations"). A bulk's events are those of its company with its correlation id (the request id
 * of the bulk call, which consumers copy onto the events they emit). The API opens the bulk with
 * one outstanding delivery per (event, expected consumer); every consumer batch then, in its own
 * transaction, takes off the deliveries it settled for good (PROCESSED or DEAD, the first time)
 * and adds those of the events it emitted. The batch that brings a bulk to zero finishes it — an
 * update of open rows only, so it happens once — and emits {@code bulk_operation.finished} in the
 * same transaction; the notification function mails it, once per (event, recipient).
 */
@Singleton
public class BulkProgress {
    public static final String PROPERTY_IMPORT = "property_import";
    public static final String SALE_BULK = "sale_bulk";
    private static final Actor ACTOR = Actor.system("bulk");

    private final BulkOperationRepository bulks;
    private final Topology topology;

    public BulkProgress(BulkOperationRepository bulks, Topology topology) {
        this.bulks = bulks;
        this.topology = topology;
    }

    /** A delivery of an event to one consumer that has just become PROCESSED or DEAD for the first time. */
    public record Settled(EventEnvelope event, boolean dead) {
    }

    /**
     * Opens a bulk of {@code itemCount} items whose events (this company's, with this correlation id)
     * are {@code events}. Runs in the bulk's own transaction; a second open bulk with the same
     * company and correlation id is refused by the database (unique violation).
     */
    public UUID open(String kind, UUID companyId, String correlationId, @Nullable UUID startedBy, int itemCount,
                     List<EventEnvelope> events) {
        int outstanding = deliveries(events.stream()
                .filter(e -> companyId.equals(e.companyId()) && correlationId.equals(e.correlationId())).toList());
        UUID id = TimeOrderedIds.next();
        bulks.insert(id, companyId, kind, correlationId, startedBy, itemCount, outstanding);
        return id;
    }

    /**
     * Applies a consumer batch to the open bulks, in the batch's transaction after its outcomes were
     * recorded (so that a bulk finished here counts this batch's dead letters).
     *
     * @param settled deliveries of this batch that became PROCESSED or DEAD for the first time
     * @param emitted events the batch's handlers emitted
     * @return the {@code bulk_operation.finished} events to write to the outbox in this transaction
     */
    public List<EventEnvelope> settle(List<Settled> settled, List<EventEnvelope> emitted) {
        Map<Key, int[]> change = new LinkedHashMap<>();
        for (Settled s : settled) {
            key(s.event()).ifPresent(k -> {
                int[] d = change.computeIfAbsent(k, x -> new int[2]);
                d[0]--;
                if (s.dead()) {
                    d[1]++;
                }
            });
        }
        for (EventEnvelope e : emitted) {
            key(e).ifPresent(k -> change.computeIfAbsent(k, x -> new int[2])[0] += deliveries(List.of(e)));
        }
        change.values().removeIf(d -> d[0] == 0 && d[1] == 0);
        if (change.isEmpty()) {
            return List.of();
        }
        int n = change.size();
        String[] companies = new String[n];
        String[] correlations = new String[n];
        int[] deltas = new int[n];
        int[] failed = new int[n];
        int i = 0;
        for (Map.Entry<Key, int[]> e : change.entrySet()) {
            companies[i] = e.getKey().companyId().toString();
            correlations[i] = e.getKey().correlationId();
            deltas[i] = e.getValue()[0];
            failed[i] = e.getValue()[1];
            i++;
        }
        // Any company's bulk: the batch carries events of many companies, each keyed by its own company.
        RowScope scope = RowScope.system();
        List<EventEnvelope> finished = new ArrayList<>();
        for (BulkOperationRepository.Progress p : bulks.advance(scope, companies, correlations, deltas, failed)) {
            if (p.finishedAt() == null) {
                continue;
            }
            int failedItems = p.failedDeliveries() == 0 ? 0
                    : Math.min(p.itemCount(), bulks.failedItems(scope, p.companyId(), p.correlationId(), p.itemCount()));
            bulks.recordFailedItems(scope, p.id(), failedItems);
            finished.add(EventEnvelope.create(EventType.BULK_OPERATION_FINISHED, p.companyId(), ACTOR, p.correlationId(), null,
                    new AggregateRef("bulk_operation", p.id().toString()),
                    new BulkOperationFinished(p.id(), p.kind(), p.correlationId(), p.startedBy(), p.itemCount(), failedItems,
                            p.failedDeliveries())));
        }
        return finished;
    }

    /** How many (event, consumer) deliveries these events make: one per consumer bound to each. */
    private int deliveries(List<EventEnvelope> events) {
        int n = 0;
        for (EventEnvelope e : events) {
            n += EventType.fromName(e.type()).map(t -> topology.expectedConsumers(t).size()).orElse(0);
        }
        return n;
    }

    /** Events without a company or correlation id belong to no bulk; nor does a bulk's own finished event. */
    private static Optional<Key> key(EventEnvelope e) {
        if (e.companyId() == null || e.correlationId() == null || EventType.BULK_OPERATION_FINISHED.typeName().equals(e.type())) {
            return Optional.empty();
        }
        return Optional.of(new Key(e.companyId(), e.correlationId()));
    }

    private record Key(UUID companyId, String correlationId) {
    }
}
