package realty.notification.webhook;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import realty.core.event.EventEnvelope;
import realty.core.tenancy.TenantJdbc;
import realty.core.tenancy.TenantScope;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The subscribers of an event and the {@code webhook_deliveries} ledger. Each attempt is recorded
 * in a transaction of its own (REQUIRES_NEW) right after it is made: when another subscriber of
 * the same event fails, the handler's savepoint is rolled back, and the retry must still know who
 * already has the event.
 */
@Singleton
public class WebhookDeliveries {
    private static final TransactionDefinition OWN = TransactionDefinition.of(TransactionDefinition.Propagation.REQUIRES_NEW);
    public static final String DELIVERED = "DELIVERED";
    public static final String FAILED = "FAILED";
    public static final String DEAD = "DEAD";

    /** An active subscription to an event's type. */
    public record Subscriber(UUID id, UUID companyId, String url, String secret) {
    }

    private final TransactionOperations<Connection> tx;
    private final TenantJdbc jdbc;

    public WebhookDeliveries(TransactionOperations<Connection> tx, TenantJdbc jdbc) {
        this.tx = tx;
        this.jdbc = jdbc;
    }

    /**
     * Active subscriptions of the event's company to its type, oldest first. A subscription receives
     * the events that occur from its creation on, not older ones that happen to be processed later.
     */
    public List<Subscriber> subscribersOf(Connection c, EventEnvelope event) throws java.sql.SQLException {
        if (event.companyId() == null) {
            return List.of();
        }
        return jdbc.list(c, TenantScope.companies(Set.of(event.companyId())), """
                        SELECT w.id, w.company_id, w.url, w.secret FROM webhook_subscriptions w
                        WHERE w.active AND ? = ANY(w.event_types) AND w.created_at <= ? AND {scope:w}
                        ORDER BY w.created_at, w.id""",
                rs -> new Subscriber(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4)),
                event.type(), java.sql.Timestamp.from(event.occurredAt()));
    }

    /** Delivery status per subscription id, for the subscriptions this event was already attempted to. */
    public Map<UUID, String> statusOf(Connection c, UUID eventId) throws java.sql.SQLException {
        Map<UUID, String> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT subscription_id, status FROM webhook_deliveries WHERE event_id = ?")) {
            ps.setObject(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getObject(1, UUID.class), rs.getString(2));
                }
            }
        }
        return out;
    }

    /** Records one attempt and keeps the subscription's failure count (failed attempts since the last success). */
    public void recordAttempt(EventEnvelope event, Subscriber subscriber, String status, @Nullable Integer responseCode,
                              @Nullable String error) {
        tx.execute(OWN, s -> {
            Connection c = s.getConnection();
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO webhook_deliveries (event_id, subscription_id, company_id, event_type, status, attempts,
                                                    last_response_code, last_error, delivered_at)
                    VALUES (?, ?, ?, ?, ?, 1, ?, ?, CASE WHEN ? THEN now() END)
                    ON CONFLICT (event_id, subscription_id) DO UPDATE SET status = excluded.status,
                        attempts = webhook_deliveries.attempts + 1, last_response_code = excluded.last_response_code,
                        last_error = excluded.last_error, last_attempt_at = now(),
                        delivered_at = COALESCE(webhook_deliveries.delivered_at, excluded.delivered_at)""")) {
                boolean delivered = DELIVERED.equals(status);
                ps.setObject(1, event.id());
                ps.setObject(2, subscriber.id());
                ps.setObject(3, subscriber.companyId());
                ps.setString(4, event.type());
                ps.setString(5, status);
                ps.setObject(6, responseCode, java.sql.Types.INTEGER);
                ps.setString(7, error);
                ps.setBoolean(8, delivered);
                ps.executeUpdate();
            }
            jdbc.update(c, TenantScope.companies(Set.of(subscriber.companyId())),
                    "UPDATE webhook_subscriptions w SET failure_count = CASE WHEN ? THEN 0 ELSE w.failure_count + 1 END "
                            + "WHERE w.id = ? AND {scope:w}", DELIVERED.equals(status), subscriber.id());
            return null;
        });
    }
}
