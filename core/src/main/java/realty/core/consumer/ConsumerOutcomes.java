package realty.core.consumer;

import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code consumer_outcomes} table: one row per (event, consumer), the idempotency record. The
 * statements run through {@link ConsumerOutcomeRepository}, on the connection of the caller's
 * transaction.
 */
@Singleton
public class ConsumerOutcomes {
    public static final String PROCESSED = "PROCESSED";
    public static final String RETRYING = "RETRYING";
    public static final String DEAD = "DEAD";

    /** PROCESSED and DEAD end a delivery (a DEAD one may still be replayed by an operator). */
    public static boolean isFinal(String status) {
        return PROCESSED.equals(status) || DEAD.equals(status);
    }

    /** The repository's statement; public for the plan test (local: HotPathPlansTest). */
    public static final String ENSURE = """
            INSERT INTO consumer_outcomes (event_id, consumer, status, attempts)
            SELECT id, :consumer, 'RECEIVED', 0 FROM (SELECT DISTINCT unnest(:ids::uuid[]) AS id ORDER BY 1) ids
            ON CONFLICT (event_id, consumer) DO NOTHING""";
    /**
     * The repository's statement; public for the plan tests (local: HotStatementPlansTest, ConsumerPathPlansTest).
     * One primary-key look-up per id, in id order (the lock order): FOR UPDATE keeps the subquery from being
     * flattened, so no plan can read the consumer's rows through consumer_outcomes_recent and filter them, which
     * a generic plan made while the table was small did, for ever, on a table nothing analyses (issue 16).
     */
    public static final String LOCK = """
            SELECT o.event_id, o.status FROM (SELECT DISTINCT unnest(:ids::uuid[]) AS id ORDER BY 1) ids
            CROSS JOIN LATERAL (SELECT event_id, status FROM consumer_outcomes
                                WHERE event_id = ids.id AND consumer = :consumer FOR UPDATE) o
            ORDER BY o.event_id""";
    /**
     * The repository's statement; public for the plan tests (local: HotStatementPlansTest, ConsumerPathPlansTest).
     * An upsert of rows that always exist (ensured and locked by this transaction): every row is reached through
     * the conflict arbiter, the primary key, with no plan to choose; an UPDATE … FROM unnest may hash-join the
     * consumer's rows instead (issue 16).
     */
    public static final String RECORD = """
            INSERT INTO consumer_outcomes AS o (event_id, consumer, status, attempts, processed_at, last_error, duration_micros,
                                                updated_at)
            SELECT u.event_id, :consumer, u.status, u.attempts, CASE WHEN u.status = 'PROCESSED' THEN clock_timestamp() END,
                   u.last_error, u.duration_micros, clock_timestamp()
            FROM unnest(:ids::uuid[], :statuses::text[], :attempts::int[], :errors::text[], :durations::bigint[])
                 AS u(event_id, status, attempts, last_error, duration_micros)
            ORDER BY u.event_id
            ON CONFLICT (event_id, consumer) DO UPDATE SET status = EXCLUDED.status,
                   attempts = GREATEST(o.attempts, EXCLUDED.attempts),
                   processed_at = CASE WHEN EXCLUDED.status = 'PROCESSED' THEN clock_timestamp() ELSE o.processed_at END,
                   last_error = COALESCE(EXCLUDED.last_error, o.last_error), duration_micros = EXCLUDED.duration_micros,
                   updated_at = clock_timestamp()""";

    private final ConsumerOutcomeRepository repository;

    public ConsumerOutcomes(ConsumerOutcomeRepository repository) {
        this.repository = repository;
    }

    /** One outcome to record. */
    public record Outcome(UUID eventId, String status, int attempts, String lastError, long durationMicros) {
    }

    /**
     * Makes sure a row exists for each event and locks them all, so that a concurrent redelivery of
     * the same events waits for this transaction and then sees its outcome.
     *
     * @param c the connection of the current transaction: it only makes the UUID array, the
     *          repository runs on the transaction's connection
     * @return current status per event id
     */
    public Map<UUID, String> lock(Connection c, String consumer, List<UUID> eventIds) throws SQLException {
        Map<UUID, String> status = new HashMap<>();
        if (eventIds.isEmpty()) {
            return status;
        }
        java.sql.Array ids = c.createArrayOf("uuid", eventIds.toArray());
        repository.ensure(consumer, ids);
        for (ConsumerOutcomeRepository.Status s : repository.lock(consumer, ids)) {
            status.put(s.eventId(), s.status());
        }
        return status;
    }

    public void record(Connection c, String consumer, List<Outcome> outcomes) throws SQLException {
        if (outcomes.isEmpty()) {
            return;
        }
        int n = outcomes.size();
        Object[] ids = new Object[n];
        String[] statuses = new String[n];
        int[] attempts = new int[n];
        String[] errors = new String[n];
        long[] durations = new long[n];
        for (int i = 0; i < n; i++) {
            Outcome o = outcomes.get(i);
            ids[i] = o.eventId();
            statuses[i] = o.status();
            attempts[i] = o.attempts();
            errors[i] = o.lastError();
            durations[i] = o.durationMicros();
        }
        repository.record(c.createArrayOf("uuid", ids), statuses, attempts, errors, durations, consumer);
    }
}
