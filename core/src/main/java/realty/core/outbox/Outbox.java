package realty.core.outbox;

import jakarta.inject.Singleton;
import realty.core.event.EventCodec;
import realty.core.event.EventEnvelope;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends events to the outbox on the caller's connection, i.e. inside the transaction that writes
 * the business rows: both commit or neither does.
 */
@Singleton
public class Outbox {
    /** Public for the plan test (local: HotPathPlansTest). */
    public static final String INSERT = """
            INSERT INTO outbox_events (id, type, version, company_id, aggregate_type, aggregate_id,
                                       correlation_id, priority, body, occurred_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::json, ?)""";

    private final EventCodec codec;

    public Outbox(EventCodec codec) {
        this.codec = codec;
    }

    /**
     * One JDBC batch, rewritten by the driver into multi-row inserts. Native JDBC on purpose: a
     * repository method binds one row per call, and saveAll cannot cast the body to json unchanged
     * (docs/architecture.md, "Native SQL that stays, and why").
     *
     * @return each event's JSON as stored, in order: what the publish right after the commit sends
     */
    public List<byte[]> append(Connection connection, List<EventEnvelope> events) throws SQLException {
        if (events.isEmpty()) {
            return List.of();
        }
        List<byte[]> bodies = new ArrayList<>(events.size());
        try (PreparedStatement ps = connection.prepareStatement(INSERT)) {
            for (EventEnvelope e : events) {
                byte[] body = codec.encode(e);
                bodies.add(body);
                ps.setObject(1, e.id());
                ps.setString(2, e.type());
                ps.setInt(3, e.version());
                if (e.companyId() == null) {
                    ps.setNull(4, Types.OTHER);
                } else {
                    ps.setObject(4, e.companyId());
                }
                ps.setString(5, e.aggregate().type());
                ps.setString(6, e.aggregate().id());
                ps.setString(7, e.correlationId());
                ps.setInt(8, e.eventType().priority());
                ps.setString(9, new String(body, StandardCharsets.UTF_8));
                ps.setTimestamp(10, Timestamp.from(e.occurredAt()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return bodies;
    }
}
