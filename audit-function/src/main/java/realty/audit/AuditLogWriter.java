package realty.audit;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import realty.core.consumer.EventHandler;
import realty.core.consumer.HandlerContext;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.topology.Topology;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Writes the LGPD audit log. The row's {@code event_id} is unique, so even outside the consumer
 * runtime's idempotency record an event cannot be audited twice. Payload fields whose names look
 * like secrets are redacted before they are stored.
 */
@Singleton
public class AuditLogWriter implements EventHandler {
    private static final Pattern SECRET_FIELD = Pattern.compile("(?i).*(password|secret|token|authorization|hash).*");
    private static final String INSERT = """
            INSERT INTO audit_logs (id, company_id, event_id, event_type, actor_user_id, actor_profiles, actor_system,
                                    resource_type, resource_id, occurred_at, request_id, source_ip, user_agent, data)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
            ON CONFLICT (event_id) DO NOTHING""";

    private final JsonMapper json;
    private final Set<EventType> audited;

    public AuditLogWriter(JsonMapper json, Topology topology) {
        this.json = json;
        this.audited = topology.queueOfFunction(Topology.AUDIT).bindings();
    }

    @Override
    public Set<EventType> handledTypes() {
        return audited;
    }

    @Override
    public void handle(EventEnvelope e, HandlerContext context) throws Exception {
        try (PreparedStatement ps = context.connection().prepareStatement(INSERT)) {
            ps.setObject(1, UUID.randomUUID());
            if (e.companyId() == null) {
                ps.setNull(2, Types.OTHER);
            } else {
                ps.setObject(2, e.companyId());
            }
            ps.setObject(3, e.id());
            ps.setString(4, e.type());
            ps.setString(5, e.actor() == null ? null : e.actor().userId());
            List<String> profiles = e.actor() == null || e.actor().profiles() == null ? List.of() : e.actor().profiles();
            ps.setArray(6, context.connection().createArrayOf("text", profiles.toArray()));
            ps.setString(7, e.actor() == null ? null : e.actor().system());
            ps.setString(8, e.aggregate().type());
            ps.setString(9, e.aggregate().id());
            ps.setTimestamp(10, Timestamp.from(e.occurredAt()));
            ps.setString(11, e.correlationId());
            ps.setString(12, e.actor() == null ? null : e.actor().sourceIp());
            ps.setString(13, e.actor() == null ? null : e.actor().userAgent());
            ps.setString(14, json.writeValueAsString(redact(e.payload())));
            ps.executeUpdate();
        }
    }

    @SuppressWarnings("unchecked")
    static Object redact(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k),
                    SECRET_FIELD.matcher(String.valueOf(k)).matches() ? "[redacted]" : redact(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(AuditLogWriter::redact).toList();
        }
        return value == null ? Map.of() : value;
    }
}
