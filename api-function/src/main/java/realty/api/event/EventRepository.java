package realty.api.event;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import realty.core.tenancy.RowScope;
import realty.core.tenancy.Scoped;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The event store (outbox_events) and what each consumer did with an event (consumer_outcomes). */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface EventRepository extends GenericRepository<EventRepository.Event, UUID> {

    /** The table's key, so the repository has an entity to bind the scope expressions against. */
    @MappedEntity("outbox_events")
    record Event(@Id UUID id) {
    }

    @Introspected
    record Head(UUID id, String type, @Nullable UUID companyId, String aggregateType, String aggregateId,
                @Nullable String correlationId, Instant occurredAt, String status, @Nullable Instant publishedAt, long seq) {
    }

    @Introspected
    record Outcome(String consumer, String status, int attempts, @Nullable Instant processedAt, @Nullable String lastError,
                   @Nullable Long durationMicros) {
    }

    String COLUMNS = "SELECT e.id, e.type, e.company_id, e.aggregate_type, e.aggregate_id, e.correlation_id, e.occurred_at, "
            + "e.status, e.published_at, e.seq FROM outbox_events e ";
    /** Events of no company (system events) are the platform admin's alone: NULL is in no company list. */
    String SCOPE = "(:allCompanies OR e.company_id = ANY(CAST(:companies AS uuid[])))";

    @Scoped
    @Query(COLUMNS + "WHERE e.id = :id AND " + SCOPE)
    Optional<Head> find(RowScope scope, UUID id);

    /** The history of one row, oldest first. */
    @Scoped
    @Query(COLUMNS + "WHERE e.aggregate_type = :aggregateType AND e.aggregate_id = :aggregateId AND e.seq > :afterSeq AND " + SCOPE
            + " ORDER BY e.seq LIMIT :limit")
    List<Head> byAggregate(RowScope scope, String aggregateType, String aggregateId, long afterSeq, int limit);

    /**
     * Events of the scope's companies that a consumer is retrying or has dead-lettered, newest first.
     * {@code status} DEAD: some consumer dead-lettered it; RETRYING: some consumer is retrying it and
     * none dead-lettered it (the event's overall status, as {@link EventHistory} shows it); null: both.
     * Driven by the partial index of failing outcomes (V11), never by the whole outbox.
     */
    @Scoped
    @Query(COLUMNS + "WHERE e.id IN (SELECT o.event_id FROM consumer_outcomes o WHERE o.status IN ('RETRYING', 'DEAD')"
            + " GROUP BY o.event_id HAVING CAST(:status AS text) IS NULL OR bool_or(o.status = 'DEAD') = (CAST(:status AS text) = 'DEAD'))"
            + " AND " + SCOPE + " AND (CAST(:type AS text) IS NULL OR e.type = CAST(:type AS text))"
            + " AND (CAST(:correlationId AS text) IS NULL OR e.correlation_id = CAST(:correlationId AS text))"
            + " AND e.seq < :beforeSeq ORDER BY e.seq DESC LIMIT :limit")
    List<Head> failing(RowScope scope, @Nullable String status, @Nullable String type, @Nullable String correlationId,
                       long beforeSeq, int limit);

    @Query("SELECT consumer, status, attempts, processed_at, last_error, duration_micros FROM consumer_outcomes "
            + "WHERE event_id = :eventId ORDER BY consumer")
    List<Outcome> outcomes(UUID eventId);
}
