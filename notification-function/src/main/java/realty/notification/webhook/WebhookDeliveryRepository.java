package realty.notification.webhook;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;
import java.util.UUID;

/**
 * The {@code webhook_deliveries} ledger. Native SQL: the attempt is an upsert that counts attempts
 * and keeps the first delivery time.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface WebhookDeliveryRepository extends GenericRepository<WebhookDeliveryRepository.DeliveryStatus, UUID> {

    /** Where an event's delivery to one subscription stands. */
    @Introspected
    record DeliveryStatus(UUID subscriptionId, String status) {
    }

    @Query("SELECT subscription_id, status FROM webhook_deliveries WHERE event_id = :eventId")
    List<DeliveryStatus> statusOf(UUID eventId);

    @Query("""
            INSERT INTO webhook_deliveries (event_id, subscription_id, company_id, event_type, status, attempts,
                                            last_response_code, last_error, delivered_at)
            VALUES (:eventId, :subscriptionId, :companyId, :eventType, :status, 1, :responseCode, :error,
                    CASE WHEN :delivered THEN now() END)
            ON CONFLICT (event_id, subscription_id) DO UPDATE SET status = excluded.status,
                attempts = webhook_deliveries.attempts + 1, last_response_code = excluded.last_response_code,
                last_error = excluded.last_error, last_attempt_at = now(),
                delivered_at = COALESCE(webhook_deliveries.delivered_at, excluded.delivered_at)""")
    void recordAttempt(UUID eventId, UUID subscriptionId, UUID companyId, String eventType, String status,
                       @Nullable Integer responseCode, @Nullable String error, boolean delivered);
}
