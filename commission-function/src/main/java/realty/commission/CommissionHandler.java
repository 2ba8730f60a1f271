package realty.commission;

import jakarta.inject.Singleton;
import realty.core.consumer.EventHandler;
import realty.core.consumer.HandlerContext;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;

import java.util.Set;

/**
 * Computes commission splits for bulk sales. It handles no event type yet, so the consumer runtime
 * sends whatever reaches {@code commission_events} to its dead-letter queue, from where it can be
 * replayed once the split is implemented.
 */
@Singleton
public class CommissionHandler implements EventHandler {
    @Override
    public Set<EventType> handledTypes() {
        return Set.of();
    }

    @Override
    public void handle(EventEnvelope event, HandlerContext context) {
        throw new IllegalStateException("unreachable: the runtime only passes handled types");
    }
}
