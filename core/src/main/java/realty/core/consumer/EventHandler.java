package realty.core.consumer;

import realty.core.event.EventEnvelope;
import realty.core.event.EventType;

import java.util.Set;

/**
 * What a queue function does with one event. It runs inside the transaction that also records the
 * consumer outcome, so its database effect and the idempotency record commit together.
 * Throw {@link PermanentFailureException} for errors that retrying cannot fix; any other exception
 * is retried through the delay tiers.
 */
public interface EventHandler {

    /** Event types this handler processes; anything else is dead-lettered at once. */
    Set<EventType> handledTypes();

    void handle(EventEnvelope event, HandlerContext context) throws Exception;

    /**
     * Whether the handler's whole effect lies in the batch's database transaction (no e-mail, no
     * HTTP call), so that the runtime may undo it and run it again. Repeatable handlers get a
     * faster path: a batch runs under one savepoint and falls back to one savepoint per message
     * only when a message fails.
     */
    default boolean repeatable() {
        return false;
    }
}
