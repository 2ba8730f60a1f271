package realty.api.webhook;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
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
import java.util.Optional;
import java.util.UUID;

/** Webhook subscriptions of the caller's companies, and their deliveries. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface WebhookRepository extends GenericRepository<WebhookRepository.Subscription, UUID> {

    /** The table's key, so the repository has an entity to bind the scope expressions against. */
    @MappedEntity("webhook_subscriptions")
    record Subscription(@Id UUID id) {
    }

    @Introspected
    record Row(UUID id, UUID companyId, String url, String[] eventTypes, @Nullable String description, boolean active,
               int failureCount, String createdBy, Instant createdAt) {
    }

    String COLUMNS = "SELECT w.id, w.company_id, w.url, w.event_types, w.description, w.active, w.failure_count, w.created_by, "
            + "w.created_at FROM webhook_subscriptions w ";
    String SCOPE = "(:allCompanies OR w.company_id = ANY(CAST(:companies AS uuid[])))";

    @Query("""
            INSERT INTO webhook_subscriptions (id, company_id, url, event_types, secret, description, created_by, created_at)
            VALUES (:id, :companyId, :url, CAST(:eventTypes AS text[]), :secret, :description, :createdBy, :createdAt)""")
    void insert(UUID id, UUID companyId, String url, String[] eventTypes, String secret, @Nullable String description,
                String createdBy, Instant createdAt);

    @Scoped
    @Query(COLUMNS + "WHERE w.id = :id AND w.active AND " + SCOPE)
    Optional<Row> find(RowScope scope, UUID id);

    @Scoped
    @Query(COLUMNS + "WHERE w.active AND " + SCOPE + " AND (CAST(:companyId AS uuid) IS NULL OR w.company_id = CAST(:companyId AS uuid))"
            + " AND (CAST(:after AS uuid) IS NULL OR w.id > CAST(:after AS uuid)) ORDER BY w.id LIMIT :limit")
    List<Row> list(RowScope scope, @Nullable UUID companyId, @Nullable UUID after, int limit);

    @Scoped
    @Query("UPDATE webhook_subscriptions w SET active = false, deleted_at = now() WHERE w.id = :id AND w.active AND " + SCOPE)
    int deactivate(RowScope scope, UUID id);

    @Scoped
    @Query("""
            SELECT d.event_id, d.event_type, d.status, d.attempts, d.last_response_code, d.last_error,
                   d.first_attempt_at, d.last_attempt_at, d.delivered_at
            FROM webhook_deliveries d WHERE d.subscription_id = :subscriptionId
              AND (:allCompanies OR d.company_id = ANY(CAST(:companies AS uuid[])))
            ORDER BY d.last_attempt_at DESC, d.event_id LIMIT :limit""")
    List<WebhookDeliveryView> deliveries(RowScope scope, UUID subscriptionId, int limit);
}
