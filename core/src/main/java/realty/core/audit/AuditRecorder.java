package realty.core.audit;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import realty.core.event.EventEnvelope;
import realty.core.id.TimeOrderedIds;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes one row of the LGPD audit log for an event, on the caller's connection. The row's
 * {@code (event_id, occurred_at)} is unique (the table is partitioned by occurred_at, and an event
 * keeps its occurred_at on every delivery), so an event cannot be audited twice whoever records it: the audit
 * function, the API's inline fallback while the broker is down, or an operator action. The payload
 * is stored as its typed record encodes; no payload record has a field named like a secret
 * ({@link #SECRET_FIELD}, held by the event contract test), so there is nothing to redact.
 */
@Singleton
public class AuditRecorder {
    public static final Pattern SECRET_FIELD = Pattern.compile("(?i).*(password|secret|token|authorization|hash).*");
    /** Public for the plan test (local: HotPathPlansTest). */
    public static final String INSERT = """
            INSERT INTO audit_logs (id, company_id, event_id, event_type, actor_user_id, actor_profiles, actor_system,
                                    resource_type, resource_id, occurred_at, request_id, source_ip, user_agent, data)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
            ON CONFLICT (event_id, occurred_at) DO NOTHING""";

    private final JsonMapper json;

    public AuditRecorder(JsonMapper json) {
        this.json = json;
    }

    /** @return whether a row was written (false: this event was audited before) */
    public boolean record(Connection c, EventEnvelope e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            bind(c, ps, e);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * One row per event in one JDBC batch (sent as multi-row inserts: reWriteBatchedInserts). Native
     * JDBC on purpose: a repository method binds one row per call and saveAll has no ON CONFLICT
     * (docs/architecture.md, "Native SQL that stays, and why").
     */
    public void recordAll(Connection c, List<EventEnvelope> events) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (EventEnvelope e : events) {
                bind(c, ps, e);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void bind(Connection c, PreparedStatement ps, EventEnvelope e) throws SQLException {
        ps.setObject(1, TimeOrderedIds.next());
        if (e.companyId() == null) {
            ps.setNull(2, Types.OTHER);
        } else {
            ps.setObject(2, e.companyId());
        }
        ps.setObject(3, e.id());
        ps.setString(4, e.type());
        ps.setString(5, e.actor() == null ? null : e.actor().userId());
        List<String> profiles = e.actor() == null || e.actor().profiles() == null ? List.of() : e.actor().profiles();
        ps.setArray(6, c.createArrayOf("text", profiles.toArray()));
        ps.setString(7, e.actor() == null ? null : e.actor().system());
        ps.setString(8, e.aggregate().type());
        ps.setString(9, e.aggregate().id());
        ps.setTimestamp(10, Timestamp.from(e.occurredAt()));
        ps.setString(11, e.correlationId());
        ps.setString(12, e.actor() == null ? null : e.actor().sourceIp());
        ps.setString(13, e.actor() == null ? null : e.actor().userAgent());
        try {
            ps.setString(14, json.writeValueAsString(e.payload() == null ? Map.of() : e.payload()));
        } catch (IOException ex) {
            throw new SQLException("audit payload of " + e.id() + " is not serializable: " + ex.getMessage(), ex);
        }
    }
}
