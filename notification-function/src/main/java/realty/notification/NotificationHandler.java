package realty.notification;

import jakarta.inject.Singleton;
import realty.core.consumer.EventHandler;
import realty.core.consumer.HandlerContext;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;

import java.util.Set;

/**
 * Sends e-mail and webhooks. It handles no event type yet, so the consumer runtime sends whatever
 * reaches {@code notification_events} to its dead-letter queue, from where it can be replayed once
 * delivery is implemented.
 */
@Singleton
public class NotificationHandler implements EventHandler {
    @Override
    public Set<EventType> handledTypes() {
        return Set.of();
    }

    @Override
    public void handle(EventEnvelope event, HandlerContext context) {
        throw new IllegalStateException("unreachable: the runtime only passes handled types");
    }
}
