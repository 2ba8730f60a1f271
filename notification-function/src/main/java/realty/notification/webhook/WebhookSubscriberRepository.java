package realty.notification.webhook;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import realty.core.tenancy.RowScope;
import realty.core.tenancy.Scoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Webhook subscriptions as the dispatcher sees them, restricted to the scope's companies (the event's company). */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface WebhookSubscriberRepository extends GenericRepository<WebhookSubscriberRepository.Subscription, UUID> {

    /** The table's key, so the repository has an entity to bind the scope expressions against. */
    @MappedEntity("webhook_subscriptions")
    record Subscription(@Id UUID id) {
    }

    String SCOPE = "(:allCompanies OR w.company_id = ANY(CAST(:companies AS uuid[])))";

    @Scoped
    @Query("SELECT w.id, w.company_id, w.url, w.secret FROM webhook_subscriptions w"
            + " WHERE w.active AND :eventType = ANY(w.event_types) AND w.created_at <= :occurredAt AND " + SCOPE
            + " ORDER BY w.created_at, w.id")
    List<WebhookDeliveries.Subscriber> subscribersOf(RowScope scope, String eventType, Instant occurredAt);

    /** Failed attempts since the last success: reset by a delivery, counted up by a failure. */
    @Scoped
    @Query("UPDATE webhook_subscriptions w SET failure_count = CASE WHEN :delivered THEN 0 ELSE w.failure_count + 1 END"
            + " WHERE w.id = :id AND " + SCOPE)
    void countAttempt(RowScope scope, UUID id, boolean delivered);
}
