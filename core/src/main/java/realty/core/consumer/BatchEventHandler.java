package realty.core.consumer;

import realty.core.event.EventEnvelope;

import java.util.List;

/**
 * A repeatable handler that can apply a whole batch at once (e.g. one multi-row insert). The
 * runtime calls {@link #handleBatch} on its optimistic pass; if that throws, it undoes the pass and
 * falls back to {@link #handle} message by message, each in its own savepoint, to isolate the
 * message that fails.
 */
public interface BatchEventHandler extends EventHandler {

    /**
     * Applies every event at once, in the batch's transaction. {@code context.attempt()} is the
     * highest attempt among the events.
     */
    void handleBatch(List<EventEnvelope> events, HandlerContext context) throws Exception;

    @Override
    default boolean repeatable() {
        return true;
    }
}
