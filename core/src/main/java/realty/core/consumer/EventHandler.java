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

    /**
     * Whether the batch's transaction runs on forced generic plans ({@link realty.core.db.GenericPlans#force})
     * instead of {@code auto}. Only for a handler whose every statement is checked as a generic plan
     * on a million rows without statistics (HotPathPlansTest), and where it was measured to pay: with
     * {@code auto} PostgreSQL plans again at every execution any statement whose generic plan it
     * estimates dearer than its custom plans, which for the notification function's recipient and
     * webhook look-ups was 0.26 ms of planning per event (pg_stat_statements, docs/benchmarks.md).
     */
    default boolean forcesGenericPlans() {
        return false;
    }

    /**
     * Runs once after each batch whose transaction committed, outside it: work that belongs to the
     * function rather than to one event (the notification function's held-mail summaries). Best
     * effort: it must not throw, since the batch's messages are already settled.
     */
    default void afterBatch() {
    }
}
