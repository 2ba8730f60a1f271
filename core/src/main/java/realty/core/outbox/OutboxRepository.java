package realty.core.outbox;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.sql.Array;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The relay's statements on {@code outbox_events}. Native SQL: {@code FOR UPDATE SKIP LOCKED} and
 * {@code = ANY(array)} have no Micronaut Data query method form. UUID arrays come as an
 * {@link Array} made by the transaction's connection (Micronaut Data 4.14 has no UUID array type).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface OutboxRepository extends GenericRepository<OutboxRepository.Pending, UUID> {

    /** A locked pending row, ready to publish. */
    @Introspected
    record Pending(UUID id, String type, int priority, String correlationId, Instant occurredAt, String body) {
    }

    /** Rows still pending and the age of the oldest (null when none is pending). */
    @Introspected
    record Backlog(long pending, @Nullable Double oldestAgeSeconds) {
    }

    String SELECT_COLUMNS = "SELECT id, type, priority, correlation_id, occurred_at, body::text AS body FROM outbox_events ";

    // A join on the primary key: with "id = ANY(:ids) AND status = 'PENDING'" the planner may AND the
    // whole pending index (the backlog) into every request's publish (local: HotPathPlansTest).
    @Query("SELECT e.id, e.type, e.priority, e.correlation_id, e.occurred_at, e.body::text AS body "
            + "FROM unnest(CAST(:ids AS uuid[])) AS x(id) JOIN outbox_events e ON e.id = x.id "
            + "WHERE e.status = 'PENDING' ORDER BY e.seq FOR UPDATE OF e SKIP LOCKED")
    List<Pending> lockPending(Array ids);

    @Query(SELECT_COLUMNS + "WHERE status = 'PENDING' AND occurred_at < now() - make_interval(secs => :graceSeconds) "
            + "ORDER BY seq LIMIT :limit FOR UPDATE SKIP LOCKED")
    List<Pending> lockOldestPending(double graceSeconds, int limit);

    @Query("UPDATE outbox_events SET status = 'PUBLISHED', published_at = now(), "
            + "publish_attempts = publish_attempts + 1, last_publish_error = NULL WHERE id = ANY(:ids)")
    void markPublished(Array ids);

    @Query("SELECT count(*) AS pending, EXTRACT(EPOCH FROM now() - min(occurred_at))::float8 AS oldest_age_seconds "
            + "FROM outbox_events WHERE status = 'PENDING'")
    Backlog backlog();
}
