package realty.api.admin;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;
import java.util.UUID;

/** The operator's log of dead-letter replays and discards ({@code dead_letter_actions}). */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface DeadLetterActionRepository extends GenericRepository<DeadLetterReplayer.ActionView, UUID> {

    @Query("""
            INSERT INTO dead_letter_actions (id, action, queue, message_id, filter, actor, request_id, status)
            VALUES (:id, :action, :queue, :messageId, CAST(:filter AS jsonb), :actor, :requestId, 'STARTED')""")
    void start(UUID id, String action, String queue, @Nullable String messageId, @Nullable String filter, String actor,
               @Nullable String requestId);

    @Query("""
            UPDATE dead_letter_actions SET status = :status, affected = :affected, detail = :detail, finished_at = clock_timestamp()
            WHERE id = :id""")
    void finish(UUID id, String status, int affected, @Nullable String detail);

    @Query("""
            SELECT id, action, queue, message_id, filter::text AS filter, actor, request_id, status, affected, detail, started_at,
                   finished_at
            FROM dead_letter_actions ORDER BY started_at DESC LIMIT :limit""")
    List<DeadLetterReplayer.ActionView> recent(int limit);
}
