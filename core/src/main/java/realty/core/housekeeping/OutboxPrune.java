package realty.core.housekeeping;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import realty.core.event.EventType;
import realty.core.topology.Topology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Removes outbox rows published more than {@code realty.housekeeping.outbox-retention} ago whose
 * every consumer (the queues the topology routes the type to) has a PROCESSED outcome, together
 * with those outcomes. A row with a consumer still missing, RETRYING or DEAD stays, with its
 * outcomes: it is the state GET /events shows and what a replay from the dead letters relies on.
 *
 * <p>Walks the published rows oldest first with a {@code (published_at, id)} cursor over the
 * partial index {@code outbox_events_published} (V13), so rows kept for a consumer are passed
 * over once per run rather than scanned again by every batch.
 */
@Singleton
public class OutboxPrune implements HousekeepingTask {
    // One round trip per batch: read a page of candidates, delete the finished ones and their
    // outcomes, and return the cursor. A data-modifying CTE that returns a row has no Micronaut Data
    // query-method form, hence plain JDBC on the transaction's connection.
    /** One batch; public for the plan test (local: PrunePlansTest). */
    public static final String BATCH = """
            WITH page AS (
                SELECT o.id, o.published_at,
                       NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(?::jsonb -> o.type) AS e(consumer)
                                   WHERE NOT EXISTS (SELECT 1 FROM consumer_outcomes c WHERE c.event_id = o.id
                                                     AND c.consumer = e.consumer AND c.status = 'PROCESSED')) AS finished
                FROM outbox_events o
                WHERE o.status = 'PUBLISHED' AND o.published_at < ? AND (o.published_at, o.id) > (?, ?)
                ORDER BY o.published_at, o.id LIMIT ?
            ), outcomes AS (
                DELETE FROM consumer_outcomes c USING page p WHERE p.finished AND c.event_id = p.id RETURNING 1
            ), events AS (
                DELETE FROM outbox_events o USING page p WHERE p.finished AND o.id = p.id AND o.status = 'PUBLISHED' RETURNING 1
            )
            SELECT (SELECT count(*) FROM page) AS examined, (SELECT count(*) FROM events) AS removed,
                   (SELECT count(*) FROM outcomes) AS outcomes, last.published_at, last.id
            FROM (SELECT 1) one LEFT JOIN (SELECT published_at, id FROM page ORDER BY published_at DESC, id DESC LIMIT 1) last ON true""";
    private static final OffsetDateTime START = OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    private static final UUID NO_ID = new UUID(0, 0);

    private final TransactionOperations<Connection> tx;
    private final HousekeepingSettings settings;
    private final String expectedConsumers;

    public OutboxPrune(TransactionOperations<Connection> tx, HousekeepingSettings settings, Topology topology, JsonMapper json) {
        this.tx = tx;
        this.settings = settings;
        Map<String, List<String>> expected = new LinkedHashMap<>();
        for (EventType type : EventType.values()) {
            expected.put(type.typeName(), topology.expectedConsumers(type));
        }
        try {
            this.expectedConsumers = json.writeValueAsString(expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return "outbox-prune";
    }

    @Override
    public int getOrder() {
        return 100;
    }

    private record Batch(long examined, long removed, @Nullable OffsetDateTime lastAt, @Nullable UUID lastId) {
    }

    @Override
    public long run(Instant deadline) {
        OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(settings.getOutboxRetention());
        OffsetDateTime afterAt = START;
        UUID afterId = NO_ID;
        long removed = 0;
        while (Instant.now().isBefore(deadline)) {
            OffsetDateTime at = afterAt;
            UUID id = afterId;
            Batch b = tx.executeWrite(status -> batch(status.getConnection(), cutoff, at, id));
            removed += b.removed();
            if (b.examined() < settings.getBatchSize() || b.lastAt() == null) {
                break;
            }
            afterAt = b.lastAt();
            afterId = b.lastId();
        }
        return removed;
    }

    private Batch batch(Connection c, OffsetDateTime cutoff, OffsetDateTime afterAt, UUID afterId) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(BATCH)) {
            ps.setString(1, expectedConsumers);
            ps.setObject(2, cutoff);
            ps.setObject(3, afterAt);
            ps.setObject(4, afterId);
            ps.setInt(5, settings.getBatchSize());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Batch(rs.getLong("examined"), rs.getLong("removed"),
                        rs.getObject("published_at", OffsetDateTime.class), rs.getObject("id", UUID.class));
            }
        }
    }
}
