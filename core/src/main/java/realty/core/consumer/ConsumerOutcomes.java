package realty.core.consumer;

import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The {@code consumer_outcomes} table: one row per (event, consumer), the idempotency record. */
@Singleton
public class ConsumerOutcomes {
    public static final String PROCESSED = "PROCESSED";
    public static final String RETRYING = "RETRYING";
    public static final String DEAD = "DEAD";

    private static final String ENSURE = """
            INSERT INTO consumer_outcomes (event_id, consumer, status, attempts)
            SELECT id, ?, 'RECEIVED', 0 FROM (SELECT DISTINCT unnest(?::uuid[]) AS id ORDER BY 1) ids
            ON CONFLICT (event_id, consumer) DO NOTHING""";
    /** Public for the plan test (local: HotStatementPlansTest). */
    public static final String LOCK = """
            SELECT event_id, status FROM consumer_outcomes
            WHERE consumer = ? AND event_id = ANY(?::uuid[]) ORDER BY event_id FOR UPDATE""";
    /** Public for the plan test (local: HotStatementPlansTest). */
    public static final String RECORD = """
            UPDATE consumer_outcomes o SET status = u.status, attempts = GREATEST(o.attempts, u.attempts),
                   processed_at = CASE WHEN u.status = 'PROCESSED' THEN clock_timestamp() ELSE o.processed_at END,
                   last_error = COALESCE(u.last_error, o.last_error), duration_micros = u.duration_micros,
                   updated_at = clock_timestamp()
            FROM unnest(?::uuid[], ?::text[], ?::int[], ?::text[], ?::bigint[])
                 AS u(event_id, status, attempts, last_error, duration_micros)
            WHERE o.event_id = u.event_id AND o.consumer = ?""";

    /** One outcome to record. */
    public record Outcome(UUID eventId, String status, int attempts, String lastError, long durationMicros) {
    }

    /**
     * Makes sure a row exists for each event and locks them all, so that a concurrent redelivery of
     * the same events waits for this transaction and then sees its outcome.
     *
     * @return current status per event id
     */
    public Map<UUID, String> lock(Connection c, String consumer, List<UUID> eventIds) throws SQLException {
        Map<UUID, String> status = new HashMap<>();
        if (eventIds.isEmpty()) {
            return status;
        }
        Object[] ids = eventIds.toArray();
        try (PreparedStatement ensure = c.prepareStatement(ENSURE)) {
            ensure.setString(1, consumer);
            ensure.setArray(2, c.createArrayOf("uuid", ids));
            ensure.executeUpdate();
        }
        try (PreparedStatement lock = c.prepareStatement(LOCK)) {
            lock.setString(1, consumer);
            lock.setArray(2, c.createArrayOf("uuid", ids));
            try (ResultSet rs = lock.executeQuery()) {
                while (rs.next()) {
                    status.put(rs.getObject(1, UUID.class), rs.getString(2));
                }
            }
        }
        return status;
    }

    public void record(Connection c, String consumer, List<Outcome> outcomes) throws SQLException {
        if (outcomes.isEmpty()) {
            return;
        }
        int n = outcomes.size();
        Object[] ids = new Object[n];
        Object[] statuses = new Object[n];
        Object[] attempts = new Object[n];
        Object[] errors = new Object[n];
        Object[] durations = new Object[n];
        for (int i = 0; i < n; i++) {
            Outcome o = outcomes.get(i);
            ids[i] = o.eventId();
            statuses[i] = o.status();
            attempts[i] = o.attempts();
            errors[i] = o.lastError();
            durations[i] = o.durationMicros();
        }
        try (PreparedStatement ps = c.prepareStatement(RECORD)) {
            ps.setArray(1, c.createArrayOf("uuid", ids));
            ps.setArray(2, c.createArrayOf("text", statuses));
            ps.setArray(3, c.createArrayOf("int4", attempts));
            ps.setArray(4, c.createArrayOf("text", errors));
            ps.setArray(5, c.createArrayOf("int8", durations));
            ps.setString(6, consumer);
            ps.executeUpdate();
        }
    }
}
