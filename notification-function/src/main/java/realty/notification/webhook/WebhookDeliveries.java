package realty.notification.webhook;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import realty.core.event.EventEnvelope;
import realty.core.tenancy.RowScope;

import java.sql.Connection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    @Introspected
    public record Subscriber(UUID id, UUID companyId, String url, String secret) {
    }

    private final TransactionOperations<Connection> tx;
    private final WebhookDeliveryRepository deliveries;
    private final WebhookSubscriberRepository subscriptions;

    public WebhookDeliveries(TransactionOperations<Connection> tx, WebhookDeliveryRepository deliveries,
                             WebhookSubscriberRepository subscriptions) {
        this.tx = tx;
        this.deliveries = deliveries;
        this.subscriptions = subscriptions;
    }

    /**
     * Active subscriptions of the event's company to its type, oldest first. A subscription receives
     * the events that occur from its creation on, not older ones that happen to be processed later.
     */
    public List<Subscriber> subscribersOf(Connection c, EventEnvelope event) throws java.sql.SQLException {
        if (event.companyId() == null) {
            return List.of();
        }
        // On the current transaction's connection, which is c's.
        return subscriptions.subscribersOf(RowScope.company(event.companyId()), event.type(), event.occurredAt());
    }

    /**
     * Delivery status per subscription id, for the subscriptions this event was already attempted to.
     * Runs on the connection of the current transaction (the repository's), which is {@code c}'s.
     */
    public Map<UUID, String> statusOf(Connection c, UUID eventId) {
        Map<UUID, String> out = new HashMap<>();
        for (WebhookDeliveryRepository.DeliveryStatus d : deliveries.statusOf(eventId)) {
            out.put(d.subscriptionId(), d.status());
        }
        return out;
    }

    /** Records one attempt and keeps the subscription's failure count (failed attempts since the last success). */
    public void recordAttempt(EventEnvelope event, Subscriber subscriber, String status, @Nullable Integer responseCode,
                              @Nullable String error) {
        tx.execute(OWN, s -> {
            deliveries.recordAttempt(event.id(), subscriber.id(), subscriber.companyId(), event.type(), status, responseCode,
                    error, DELIVERED.equals(status));
            subscriptions.countAttempt(RowScope.company(subscriber.companyId()), subscriber.id(), DELIVERED.equals(status));
            return null;
        });
    }
}
